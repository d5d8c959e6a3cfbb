// Errors of the distribution client. Registry errors keep the registry's HTTP status and its
// error code, and read as Docker prints them ("manifest unknown: manifest unknown").

/** A reference that does not follow Docker's grammar; Docker's API answers 400. */
export class InvalidReferenceError extends Error {
  readonly statusCode = 400;
}

export interface RegistryErrorEntry {
  code: string;
  message?: string;
}

export class RegistryError extends Error {
  constructor(
    /** The registry's HTTP status. */
    readonly status: number,
    readonly errors: RegistryErrorEntry[],
    fallback: string,
  ) {
    super(errors.length > 0 ? errors.map(describeEntry).join('; ') : fallback);
  }

  get code(): string | undefined {
    return this.errors[0]?.code;
  }

  /** The repository or manifest is unknown, or access to it is refused. */
  get notFoundOrDenied(): boolean {
    return (
      this.status === 404 ||
      this.status === 401 ||
      this.status === 403 ||
      ['NAME_UNKNOWN', 'MANIFEST_UNKNOWN', 'DENIED', 'UNAUTHORIZED'].includes(this.code ?? '')
    );
  }
}

/** Credentials were refused by the registry or its token service. */
export class UnauthorizedError extends Error {
  readonly status = 401;
}

/** Content whose digest or size differs from the descriptor that named it. */
export class DigestMismatchError extends Error {}

function describeEntry(entry: RegistryErrorEntry): string {
  const code = entry.code.toLowerCase().replaceAll('_', ' ');
  return entry.message ? `${code}: ${entry.message}` : code;
}

/** Reads a registry error body ({"errors":[…]}) from a failed response. */
export function registryError(status: number, body: string, context: string): RegistryError {
  let errors: RegistryErrorEntry[] = [];
  try {
    const parsed = JSON.parse(body) as { errors?: RegistryErrorEntry[] };
    if (Array.isArray(parsed.errors))
      errors = parsed.errors.filter((e) => typeof e.code === 'string');
  } catch {
    // not a registry error document: fall back to the status line
  }
  return new RegistryError(status, errors, `${context}: unexpected status ${status}`);
}
