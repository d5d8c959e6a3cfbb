import { status, type Metadata, type ServerErrorResponse, type sendUnaryData } from '@grpc/grpc-js';
import { context, type Context } from '@opentelemetry/api';
import { TtrpcError } from '@berth/ttrpc';
import { ContainerdError, type ErrorKind } from '../core/errdefs';
import { requireNamespace, type OpContext } from '../core/metadata/context';

// Thin helpers every service adapter shares: the containerd-namespace / containerd-lease
// metadata, errdefs kinds to gRPC codes (upstream's errdefs.ToGRPC), and protobuf times.

const CODES: Record<ErrorKind, status> = {
  InvalidArgument: status.INVALID_ARGUMENT,
  NotFound: status.NOT_FOUND,
  AlreadyExists: status.ALREADY_EXISTS,
  FailedPrecondition: status.FAILED_PRECONDITION,
  Unavailable: status.UNAVAILABLE,
  NotImplemented: status.UNIMPLEMENTED,
  Aborted: status.ABORTED,
  OutOfRange: status.OUT_OF_RANGE,
};

export function toServiceError(err: unknown): Partial<ServerErrorResponse> {
  if (err instanceof ContainerdError) return { code: CODES[err.kind], details: err.message };
  // A shim's ttrpc status uses the gRPC code numbering: pass it through.
  if (err instanceof TtrpcError)
    return { code: err.code as number as status, details: err.message };
  return { code: status.UNKNOWN, details: err instanceof Error ? err.message : String(err) };
}

export function contextOf(metadata: Metadata, trace?: Context): OpContext {
  const ns = metadata.get('containerd-namespace')[0];
  const lease = metadata.get('containerd-lease')[0];
  const namespace = requireNamespace(ns === undefined ? undefined : String(ns));
  const ctx: OpContext = trace ? { namespace, trace } : { namespace };
  if (lease !== undefined && String(lease) !== '') ctx.lease = String(lease);
  return ctx;
}

interface UnaryCall<Req> {
  request: Req;
  metadata: Metadata;
}

/**
 * Adapts an async handler to grpc-js's callback style, mapping errors to status codes. The
 * handler also gets the call's trace context, taken while the call's span is active (only
 * synchronously: see api/tracing.ts).
 */
export function unary<Req, Res>(
  fn: (req: Req, call: UnaryCall<Req>, trace: Context) => Promise<Res> | Res,
) {
  return (call: UnaryCall<Req>, cb: sendUnaryData<Res>): void => {
    const trace = context.active();
    Promise.resolve()
      .then(() => fn(call.request, call, trace))
      .then(
        (res) => cb(null, res),
        (err: unknown) => cb(toServiceError(err)),
      );
  };
}

/** As unary, for handlers that need the namespace. */
export function namespaced<Req, Res>(fn: (ctx: OpContext, req: Req) => Promise<Res> | Res) {
  return unary<Req, Res>((req, call, trace) => fn(contextOf(call.metadata, trace), req));
}

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export const toTimestamp = (ms: number): Timestamp => ({
  seconds: Math.floor(ms / 1000),
  nanos: Math.round((ms % 1000) * 1e6),
});

export const EMPTY = {};

/** Update masks arrive as google.protobuf.FieldMask. */
export const pathsOf = (mask: { paths: string[] } | null | undefined): string[] =>
  mask?.paths ?? [];

/** Ends a server stream with the error's status. */
export function failStream(
  call: { emit(event: 'error', err: unknown): boolean },
  err: unknown,
): void {
  call.emit('error', toServiceError(err));
}

/** Adapts an async server-streaming handler: its return ends the stream, a throw fails it. */
export function streaming<Req, Res>(
  fn: (req: Req, write: (msg: Res) => void, call: UnaryCall<Req>) => Promise<void> | void,
) {
  return (
    call: UnaryCall<Req> & {
      write(msg: Res): boolean;
      end(): void;
      emit(event: 'error', err: unknown): boolean;
    },
  ): void => {
    Promise.resolve()
      .then(() => fn(call.request, (m) => call.write(m), call))
      .then(
        () => call.end(),
        (err: unknown) => failStream(call, err),
      );
  };
}
