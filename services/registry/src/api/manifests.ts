// GET/HEAD/PUT/DELETE /v2/<name>/manifests/<reference>
import { RegistryError } from '../errors';
import { formatDigest, looksLikeDigest } from '../reference';
import { accepts } from './accept';
import type { MethodTable } from './context';
import { readBody } from './http';
import type { Route } from './routes';

type ManifestRoute = Extract<Route, { kind: 'manifest' }>;

const get: MethodTable<ManifestRoute>['GET'] = async (ctx, req, reply, route) => {
  const { digest, mediaType } = await ctx.storage.manifests.resolve(route.name, route.reference);
  if (!looksLikeDigest(route.reference) && !accepts(req.headers.accept, mediaType)) {
    throw new RegistryError(
      'MANIFEST_UNKNOWN',
      'manifest found, but Accept does not allow its media type',
      {
        mediaType,
      },
    );
  }
  const body = await ctx.storage.manifests.read(digest);
  reply
    .header('Content-Type', mediaType)
    .header('Docker-Content-Digest', formatDigest(digest))
    .header('ETag', `"${formatDigest(digest)}"`)
    .header('Content-Length', body.length);
  return req.method === 'HEAD' ? reply.send() : reply.send(body);
};

export const manifestHandlers: MethodTable<ManifestRoute> = {
  GET: get,
  HEAD: get,
  PUT: async (ctx, req, reply, route) => {
    const body = await readBody(req.raw, ctx.manifestBodyLimit);
    const result = await ctx.storage.manifests.put(
      route.name,
      route.reference,
      body,
      req.headers['content-type'],
    );
    reply
      .code(201)
      .header('Location', `/v2/${route.name}/manifests/${result.digest}`)
      .header('Docker-Content-Digest', result.digest)
      .header('Content-Length', 0);
    if (result.subject) reply.header('OCI-Subject', result.subject);
    reply.send();
  },
  DELETE: async (ctx, _req, reply, route) => {
    await ctx.storage.manifests.delete(route.name, route.reference);
    reply.code(202).header('Content-Length', 0).send();
  },
};
