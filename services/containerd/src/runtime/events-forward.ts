import { LOADER_OPTIONS, protoRoot } from '@berth/proto';
import { TtrpcServer } from '@berth/ttrpc';
import { rmSync } from 'node:fs';
import type { Exchange } from '../core/events/exchange';

interface ForwardMsg {
  envelope: {
    timestamp: { seconds: string; nanos: number } | null;
    namespace: string;
    topic: string;
    event: { type_url: string; value: Uint8Array } | null;
  } | null;
}

/**
 * The ttrpc events endpoint shims publish to (TTRPC_ADDRESS): forwarded envelopes keep
 * their namespace, topic and timestamp and enter the daemon's exchange.
 */
export async function serveEventsForward(
  address: string,
  exchange: Exchange,
): Promise<TtrpcServer> {
  const forwardType = protoRoot().lookupType('containerd.services.events.ttrpc.v1.ForwardRequest');
  const empty = protoRoot().lookupType('google.protobuf.Empty');
  const server = new TtrpcServer();
  server.register('containerd.services.events.ttrpc.v1.Events', {
    Forward: async (payload) => {
      const { envelope: e } = forwardType.toObject(
        forwardType.decode(payload),
        LOADER_OPTIONS,
      ) as ForwardMsg;
      exchange.forward({
        timestamp: e?.timestamp
          ? Number(e.timestamp.seconds) * 1000 + e.timestamp.nanos / 1e6
          : Date.now(),
        namespace: e?.namespace ?? '',
        topic: e?.topic ?? '',
        event: { typeUrl: e?.event?.type_url ?? '', value: e?.event?.value ?? new Uint8Array() },
      });
      return empty.encode({}).finish();
    },
  });
  rmSync(address, { force: true });
  await server.listen(address);
  return server;
}
