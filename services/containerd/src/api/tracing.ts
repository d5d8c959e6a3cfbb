import { contextFromGrpcMetadata } from '@berth/telemetry';
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { Metadata, UntypedServiceImplementation } from '@grpc/grpc-js';

const tracer = trace.getTracer('berth-containerd');

interface Call {
  metadata: Metadata;
  once(event: 'close' | 'finish' | 'error', fn: (err?: Error) => void): unknown;
}

/**
 * Wraps every method of a service so each call is one server span,
 * `containerd.<service>.<method>` (lower case), child of the caller's traceparent from the gRPC
 * metadata. Unary calls end their span with the callback; streams end theirs when the call
 * closes.
 */
export function traced<T extends UntypedServiceImplementation>(service: string, handlers: T): T {
  const out: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(handlers)) {
    const fn = handler as (call: Call, cb?: (err: unknown, res?: unknown) => void) => void;
    out[method] = ((call: Call, cb?: (err: unknown, res?: unknown) => void) => {
      const parent = contextFromGrpcMetadata(call.metadata);
      const ns = call.metadata.get('containerd-namespace')[0];
      const attributes: Attributes = {
        'rpc.system': 'grpc',
        'rpc.method': method,
        ...(ns === undefined ? {} : { 'containerd.namespace': String(ns) }),
      };
      const span = tracer.startSpan(
        `containerd.${service}.${method.toLowerCase()}`,
        { kind: SpanKind.SERVER, attributes },
        parent,
      );
      const end = (err?: unknown) => {
        if (err)
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: errorMessage(err),
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

/** The text of what a handler failed with: an Error, or the {code, details} status it sends. */
function errorMessage(err: unknown): string {
  const e = err as { message?: unknown; details?: unknown };
  return String(e.message ?? e.details ?? err);
}
