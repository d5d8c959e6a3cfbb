// The Engine API HTTP server: version prefix handling, Docker's response headers, and
// Docker's error shape. Routes live in ./routes, one module per API resource.
import Fastify, { type FastifyInstance } from 'fastify';
import { errorBody } from './errors';
import { MAX_API_VERSION, splitVersion, unsupportedVersionMessage } from './versions';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API version the client asked for (from the /vX.Y prefix), MAX when absent. */
    apiVersion: string;
  }
}

export interface AppOptions {
  /** The daemon's own version, reported in the Server header and /version. */
  engineVersion: string;
}

const REQUEST_VERSIONS = new WeakMap<object, string>();

/** Headers dockerd puts on every response, hijacked streams included. */
export function engineHeaders(engineVersion: string): Record<string, string> {
  return {
    'Api-Version': MAX_API_VERSION,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: `Docker/${engineVersion} (linux)`,
  };
}

export function createApp(opts: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    // Waits and log follows stay open for as long as containers run: closing ends them.
    forceCloseConnections: true,
    // Image loads and docker cp carry large tar bodies; routes stream them, never buffer.
    bodyLimit: 64 * 1024 * 1024,
    rewriteUrl(req) {
      const { version, path } = splitVersion(req.url ?? '/');
      REQUEST_VERSIONS.set(req, version);
      return path;
    },
  });
  app.decorateRequest('apiVersion', MAX_API_VERSION);

  // The docker CLI sends Content-Type: application/json with an empty body on many POSTs.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });
  // Tar archives (image load, docker cp, build context) are streamed by their routes.
  app.addContentTypeParser(
    ['application/x-tar', 'application/octet-stream'],
    (_req, payload, done) => done(null, payload),
  );

  app.addHook('onRequest', async (req) => {
    req.apiVersion = REQUEST_VERSIONS.get(req.raw) ?? MAX_API_VERSION;
    const refusal = unsupportedVersionMessage(req.apiVersion);
    if (refusal) throw Object.assign(new Error(refusal), { statusCode: 400 });
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(engineHeaders(opts.engineVersion));
  });

  app.setErrorHandler((err, _req, reply) => {
    const { statusCode, body } = errorBody(err);
    // The CLI decodes {"message"} only for exactly "application/json": a Buffer keeps Fastify
    // from appending a charset.
    void reply
      .status(statusCode)
      .header('content-type', 'application/json')
      .send(Buffer.from(JSON.stringify(body)));
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.status(404).send({ message: 'page not found' });
  });
  return app;
}
