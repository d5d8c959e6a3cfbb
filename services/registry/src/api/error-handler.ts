// Every failure leaves as the spec's JSON error body with its status; internal faults are
// logged and shown as a bare 500 without details.
import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorCode, RegistryError } from '../errors';
import { sendJson } from './http';

const CLIENT_GONE = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED']);

/** Errors raised by fastify itself (bad media type, header too large) keep their status. */
function fromFramework(err: FastifyError): RegistryError | null {
  const status = err.statusCode;
  if (status === undefined || status >= 500) return null;
  const code: ErrorCode =
    status === 413 ? 'SIZE_INVALID' : status === 405 ? 'UNSUPPORTED' : 'BLOB_UPLOAD_INVALID';
  return new RegistryError(code, err.message, undefined, status);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let error = err instanceof RegistryError ? err : fromFramework(err);
    if (!error && err.code && CLIENT_GONE.has(err.code)) {
      req.log.warn({ err: err.message }, 'request body interrupted');
      error = new RegistryError('BLOB_UPLOAD_INVALID', 'request body was interrupted');
    }
    if (!error) {
      req.log.error({ err }, 'internal error');
      return sendJson(reply.code(500), {
        errors: [{ code: 'UNKNOWN', message: 'internal error' }],
      });
    }
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    reply.removeHeader('Content-Length');
    return sendJson(reply.code(error.status), error.toBody());
  });
  app.setNotFoundHandler((req, reply) => {
    const error = new RegistryError('NAME_UNKNOWN', 'not found', { path: req.url }, 404);
    sendJson(reply.code(404), error.toBody());
  });
}
