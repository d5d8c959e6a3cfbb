// containerd's error classes (pkg errdefs). Core code throws these; the gRPC adapters map
// each kind to its status code, and the messages follow upstream's wording so clients that
// match on text (ctr, dockerd) keep working.
export type ErrorKind =
  | 'InvalidArgument'
  | 'NotFound'
  | 'AlreadyExists'
  | 'FailedPrecondition'
  | 'Unavailable'
  | 'NotImplemented'
  | 'Aborted'
  | 'OutOfRange';

export class ContainerdError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = `Err${kind}`;
  }
}

const SUFFIX: Record<ErrorKind, string> = {
  InvalidArgument: 'invalid argument',
  NotFound: 'not found',
  AlreadyExists: 'already exists',
  FailedPrecondition: 'failed precondition',
  Unavailable: 'unavailable',
  NotImplemented: 'not implemented',
  Aborted: 'aborted',
  OutOfRange: 'out of range',
};

/** `subject: <kind text>`, the shape of upstream's `errors.Wrapf(errdefs.ErrX, subject)`. */
export function errorOf(kind: ErrorKind, subject: string): ContainerdError {
  return new ContainerdError(kind, `${subject}: ${SUFFIX[kind]}`);
}

export const notFound = (subject: string) => errorOf('NotFound', subject);
export const alreadyExists = (subject: string) => errorOf('AlreadyExists', subject);
export const invalidArgument = (subject: string) => errorOf('InvalidArgument', subject);
export const failedPrecondition = (subject: string) => errorOf('FailedPrecondition', subject);

export function isKind(err: unknown, kind: ErrorKind): boolean {
  return err instanceof ContainerdError && err.kind === kind;
}
