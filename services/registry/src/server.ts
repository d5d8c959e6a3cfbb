// Builds the registry's HTTP(S) server from a configuration.
import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { AccessPolicy } from './auth/access';
import {
  type Authorizer,
  BasicAuthorizer,
  openAuthorizer,
  TokenAuthorizer,
} from './auth/authorizer';
import { Htpasswd } from './auth/htpasswd';
import { TokenService } from './auth/token';
import { registerTokenEndpoint } from './auth/token-endpoint';
import { registerErrorHandler } from './api/error-handler';
import { API_VERSION_HEADER } from './api/http';
import { registerTracing } from './api/tracing';
import { registerV2 } from './api/v2';
import type { RegistryConfig } from './config';
import { Storage } from './storage';

export interface Registry {
  app: FastifyInstance;
  storage: Storage;
}

async function buildAuthorizer(config: RegistryConfig, app: FastifyInstance): Promise<Authorizer> {
  const { htpasswd, token, access } = config.auth;
  const users = htpasswd ? await Htpasswd.load(htpasswd) : null;
  const policy = new AccessPolicy(access);
  if (token) {
    const secret = token.secretFile ? await readFile(token.secretFile) : undefined;
    const tokens = new TokenService({ ...token, secret });
    registerTokenEndpoint(app, tokens, users, policy);
    return new TokenAuthorizer(tokens, token.realm);
  }
  return users ? new BasicAuthorizer(users, policy) : openAuthorizer;
}

export async function createRegistry(config: RegistryConfig, logger: Logger): Promise<Registry> {
  const https = config.tls
    ? { cert: await readFile(config.tls.cert), key: await readFile(config.tls.key) }
    : null;
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    exposeHeadRoutes: false,
    ...(https ? { https } : {}),
  }) as unknown as FastifyInstance;
  // Bodies are streamed by the handlers themselves (blobs) or read with a limit (manifests).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
  app.addHook('onSend', async (_req, reply) => {
    reply.header(API_VERSION_HEADER.name, API_VERSION_HEADER.value);
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug(
      { method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
  });
  registerTracing(app);
  registerErrorHandler(app);
  const storage = new Storage(config.root);
  const authorizer = await buildAuthorizer(config, app);
  registerV2(
    app,
    {
      storage,
      manifestBodyLimit: config.limits.manifestBytes,
      mayPull: (req, name) => authorizer.mayPull(req, name),
    },
    authorizer,
  );
  return { app, storage };
}
