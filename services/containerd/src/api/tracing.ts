import { contextFromGrpcMetadata } from '@berth/telemetry';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Metadata, UntypedServiceImplementation } from '@grpc/grpc-js';

const tracer = trace.getTracer('berth-containerd');

interface Call {
  metadata: Metadata;
  once(event: 'close' | 'finish' | 'error', fn: (err?: Error) => void): unknown;
}

/**
 * Wraps every method of a service so each call is one span, `containerd.<service>.<Method>`,
 * child of the caller's traceparent from the gRPC metadata. Unary calls end their span
 * with the callback; streams end theirs when the call closes.
 */
export function traced<T extends UntypedServiceImplementation>(service: string, handlers: T): T {
  const out: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(handlers)) {
    const fn = handler as (call: Call, cb?: (err: unknown, res?: unknown) => void) => void;
    out[method] = ((call: Call, cb?: (err: unknown, res?: unknown) => void) => {
      const parent = contextFromGrpcMetadata(call.metadata);
      const ns = call.metadata.get('containerd-namespace')[0];
      const span = tracer.startSpan(
        `containerd.${service}.${method}`,
        { attributes: ns === undefined ? {} : { 'containerd.namespace': String(ns) } },
        parent,
      );
      const end = (err?: unknown) => {
        if (err)
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: String((err as Error).message ?? err),
          });
        span.end();
      };
      context.with(trace.setSpan(parent, span), () => {
        if (cb) {
          fn(call, (err, res) => {
            end(err);
            cb(err, res);
          });
        } else {
          call.once('error', end);
          call.once('close', () => end());
          fn(call);
        }
      });
    }) as unknown as T[string];
  }
  return out as T;
}
