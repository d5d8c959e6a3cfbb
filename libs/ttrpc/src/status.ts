// gRPC status codes: ttrpc reports every failure as a google.rpc.Status with one of these.
export const Code = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

/** A failed call: thrown by handlers to choose the status, and by the client for a non-OK answer. */
export class TtrpcError extends Error {
  override name = 'TtrpcError';
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }
}

/** What the client rejects with when the connection is gone (upstream's ttrpc.ErrClosed). */
export const closedError = () => new TtrpcError(Code.Unavailable, 'ttrpc: closed');

// Same mapping as upstream's convertCode, for errors a handler did not classify itself.
const errnoCodes: Record<string, Code> = {
  ENOENT: Code.NotFound,
  EEXIST: Code.AlreadyExists,
  EACCES: Code.PermissionDenied,
  EPERM: Code.PermissionDenied,
  EINVAL: Code.InvalidArgument,
  ABORT_ERR: Code.Canceled,
};

export function statusFromError(err: unknown): { code: Code; message: string } {
  if (err instanceof TtrpcError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  const errno = (err as { code?: unknown } | null)?.code;
  return { code: (typeof errno === 'string' && errnoCodes[errno]) || Code.Unknown, message };
}
