// The /v2 API: matches the path, checks access, and hands the request to its resource.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from '../auth/access';
import type { Authorizer } from '../auth/authorizer';
import { RegistryError } from '../errors';
import { blobHandlers } from './blobs';
import type { ApiContext, Handler, MethodTable } from './context';
import { catalogHandlers, referrersHandlers, tagsHandlers } from './listings';
import { sendJson } from './http';
import { manifestHandlers } from './manifests';
import { matchRoute, type Route } from './routes';
import { nameOperation } from './tracing';
import { uploadHandlers, uploadStartHandlers } from './uploads';

const base: Handler = async (_ctx, _req, reply) => {
  sendJson(reply, {});
};

const HANDLERS: { [K in Route['kind']]: MethodTable<Extract<Route, { kind: K }>> } = {
  base: { GET: base, HEAD: base },
  catalog: catalogHandlers,
  tags: tagsHandlers,
  manifest: manifestHandlers,
  uploads: uploadStartHandlers,
  upload: uploadHandlers,
  blob: blobHandlers,
  referrers: referrersHandlers,
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The scope a request needs; null for /v2/ itself, which only needs a known caller. */
export function requiredAccess(route: Route, method: string): Access | null {
  if (route.kind === 'base') return null;
  if (route.kind === 'catalog') return { type: 'registry', name: 'catalog', actions: ['*'] };
  const action = method === 'DELETE' ? 'delete' : WRITE_METHODS.has(method) ? 'push' : 'pull';
  return { type: 'repository', name: route.name, actions: [action] };
}

export function registerV2(app: FastifyInstance, ctx: ApiContext, authorizer: Authorizer): void {
  const dispatch = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const route = matchRoute(req.url.split('?')[0] ?? '');
    if (!route) {
      throw new RegistryError('NAME_UNKNOWN', 'no such endpoint', { path: req.url }, 404);
    }
    const handler = HANDLERS[route.kind][req.method] as Handler | undefined;
    nameOperation(req, `${route.kind}.${req.method.toLowerCase()}`);
    if (!handler) {
      throw new RegistryError('UNSUPPORTED', 'the operation is unsupported', {
        method: req.method,
      });
    }
    await authorizer.authorize(req, requiredAccess(route, req.method));
    await handler(ctx, req, reply, route);
  };
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
  app.route({ method: methods, url: '/v2', handler: dispatch });
  app.route({ method: methods, url: '/v2/*', handler: dispatch });
}
