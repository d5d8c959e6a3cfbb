import { protoRoot } from '@berth/proto';
import type { containerd } from '@berth/proto';
import type { Envelope, Exchange } from '../core/events/exchange';
import { contextOf, EMPTY, failStream, toTimestamp, unary } from './grpc';
import { anyFromMsg } from './convert';
import type { ServerWritableStream } from '@grpc/grpc-js';

/** Decodes a published event for `event.<field>` filters; unknown types decode to nothing. */
export function decodeEvent(e: Envelope): Record<string, unknown> | undefined {
  const name = e.event.typeUrl.replace(/^.*\//, '');
  try {
    const type = protoRoot().lookupType(name);
    return type.toObject(type.decode(e.event.value), { longs: String, enums: String }) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
}

/**
 * Publishes an event message the way upstream's services do: the Any's type URL is the
 * message's full proto name. A failure to publish is reported, never undoes the change.
 */
export function publisher(exchange: Exchange, onError: (err: unknown, topic: string) => void) {
  return (namespace: string, topic: string, typeName: string, payload: object): void => {
    try {
      const type = protoRoot().lookupType(typeName);
      exchange.publish(namespace, topic, {
        typeUrl: typeName,
        value: type.encode(type.fromObject(payload as Record<string, unknown>)).finish(),
      });
    } catch (err) {
      onError(err, topic);
    }
  };
}

const envelopeToMsg = (e: Envelope) => ({
  timestamp: toTimestamp(e.timestamp),
  namespace: e.namespace,
  topic: e.topic,
  event: { type_url: e.event.typeUrl, value: Buffer.from(e.event.value) },
});

export function eventsService(exchange: Exchange): containerd.services.events.v1.EventsHandlers {
  return {
    Publish: unary((req, call) => {
      const ctx = contextOf(call.metadata);
      const event = anyFromMsg(req.event);
      exchange.publish(ctx.namespace, req.topic, event ?? { typeUrl: '', value: new Uint8Array() });
      return EMPTY;
    }),
    Forward: unary((req) => {
      const e = req.envelope;
      exchange.forward({
        timestamp: e?.timestamp
          ? Number(e.timestamp.seconds) * 1000 + e.timestamp.nanos / 1e6
          : Date.now(),
        namespace: e?.namespace ?? '',
        topic: e?.topic ?? '',
        event: anyFromMsg(e?.event) ?? { typeUrl: '', value: new Uint8Array() },
      });
      return EMPTY;
    }),
    Subscribe: (
      call: ServerWritableStream<containerd.services.events.v1.SubscribeRequest__Output, unknown>,
    ) => {
      let unsubscribe: () => void = () => {};
      try {
        unsubscribe = exchange.subscribe(call.request.filters, (e) => call.write(envelopeToMsg(e)));
      } catch (err) {
        failStream(call, err);
        return;
      }
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
    },
  };
}
