/** A failed cgroup file operation, naming the file, the value and the errno code. */
export class CgroupError extends Error {
  override name = 'CgroupError';
  constructor(
    message: string,
    /** errno code (EBUSY, EINVAL, ENOENT, ...) when the kernel refused; undefined for our own checks. */
    readonly code?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTEMPTY: 'directory not empty',
  EEXIST: 'file exists',
  ENOSPC: 'no space left on device',
  EOPNOTSUPP: 'operation not supported',
  ESRCH: 'no such process',
  ERANGE: 'numerical result out of range',
  ENODEV: 'no such device',
};

/** Wraps an fs failure so the message says what was done to which file with which value. */
export function fsError(op: string, path: string, cause: unknown, value?: string): CgroupError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  const what = value === undefined ? `${op} ${path}` : `${op} ${JSON.stringify(value)} to ${path}`;
  const reason = REASONS[code] ?? (cause instanceof Error ? cause.message : String(cause));
  const err = new CgroupError(`${what}: ${code} (${reason})`, code, path);
  err.cause = cause;
  return err;
}

export function isCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof CgroupError && err.code !== undefined && codes.includes(err.code);
}
