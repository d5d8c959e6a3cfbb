// Errors carry the HTTP status dockerd answers with, and Docker's own message text, so the
// Engine API can pass them through unchanged.
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409 | 500,
    message: string,
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new NetworkError(400, message);
export const forbidden = (message: string) => new NetworkError(403, message);
export const notFound = (message: string) => new NetworkError(404, message);
export const conflict = (message: string) => new NetworkError(409, message);
