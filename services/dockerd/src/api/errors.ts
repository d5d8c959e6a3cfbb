// Errors carry the HTTP status Docker uses for their class; the body is always
// {"message": "..."}, which is what every docker client parses.

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);
export const invalidParameter = (message: string) => new ApiError(400, message);
export const notModified = (message: string) => new ApiError(304, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const unavailable = (message: string) => new ApiError(503, message);
export const notImplemented = (message: string) => new ApiError(501, message);

export function errorBody(err: unknown): { statusCode: number; body: { message: string } } {
  if (err instanceof ApiError)
    return { statusCode: err.statusCode, body: { message: err.message } };
  const fastifyStatus = (err as { statusCode?: number }).statusCode;
  const message = err instanceof Error ? err.message : String(err);
  // Fastify's own validation and parsing errors are the client's fault; anything else is ours.
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return { statusCode: fastifyStatus, body: { message } };
  }
  return { statusCode: 500, body: { message } };
}
