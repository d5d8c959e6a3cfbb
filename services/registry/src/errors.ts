// Error codes and statuses of the OCI distribution spec (plus the Docker registry's extras),
// rendered as the spec's `{"errors":[{code,message,detail}]}` body.

export const ERROR_STATUS = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 404,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  TAG_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
  RANGE_INVALID: 416,
  PAGINATION_NUMBER_INVALID: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class RegistryError extends Error {
  readonly status: number;
  /** Response headers the error needs (e.g. an authentication challenge). */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
    status?: number,
  ) {
    super(message);
    this.status = status ?? ERROR_STATUS[code];
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }

  toBody(): { errors: { code: string; message: string; detail?: unknown }[] } {
    const entry = { code: this.code, message: this.message };
    return { errors: [this.detail === undefined ? entry : { ...entry, detail: this.detail }] };
  }
}
