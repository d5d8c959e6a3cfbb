// GET/HEAD/DELETE /v2/<name>/blobs/<digest>
import { RegistryError } from '../errors';
import { formatDigest, parseDigest } from '../reference';
import type { MethodTable } from './context';
import { parseByteRange } from './http';
import type { Route } from './routes';

type BlobRoute = Extract<Route, { kind: 'blob' }>;

function blobUnknown(digest: string): RegistryError {
  return new RegistryError('BLOB_UNKNOWN', 'blob unknown to registry', { digest });
}

const get: MethodTable<BlobRoute>['GET'] = async (ctx, req, reply, route) => {
  const d = parseDigest(route.digest);
  const st = await ctx.storage.blobs.statInRepo(route.name, d);
  if (!st) throw blobUnknown(route.digest);
  let range;
  try {
    range = parseByteRange(req.headers.range, st.size);
  } catch (err) {
    reply.header('Content-Range', `bytes */${st.size}`);
    throw err;
  }
  reply
    .header('Docker-Content-Digest', formatDigest(d))
    .header('Accept-Ranges', 'bytes')
    .header('Content-Type', 'application/octet-stream')
    .header('ETag', `"${formatDigest(d)}"`);
  if (range) {
    reply
      .code(206)
      .header('Content-Range', `bytes ${range.start}-${range.end}/${st.size}`)
      .header('Content-Length', range.end - range.start + 1);
  } else {
    reply.header('Content-Length', st.size);
  }
  if (req.method === 'HEAD') return reply.send();
  return reply.send(ctx.storage.blobs.openRead(d, range ?? undefined));
};

export const blobHandlers: MethodTable<BlobRoute> = {
  GET: get,
  HEAD: get,
  DELETE: async (ctx, _req, reply, route) => {
    const d = parseDigest(route.digest);
    if (!(await ctx.storage.blobs.unlink(route.name, d))) throw blobUnknown(route.digest);
    reply.code(202).header('Content-Length', 0).send();
  },
};
