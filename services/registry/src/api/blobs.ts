// GET/HEAD/DELETE /v2/<name>/blobs/<digest>
import { RegistryError } from '../errors';
import { formatDigest, parseDigest } from '../reference';
import type { MethodTable } from './context';
import { copyRange } from '../storage/copy-range';
import { API_VERSION_HEADER, parseByteRange } from './http';
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
  const file = await ctx.storage.blobs.open(d);
  if (!file) throw blobUnknown(route.digest);
  // The body bypasses fastify's stream handling (see copyRange); onSend hooks do not run for a
  // hijacked reply, so its headers are complete here. onResponse (tracing) still runs.
  reply.hijack();
  const res = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) res.setHeader(name, value);
  }
  res.setHeader(API_VERSION_HEADER.name, API_VERSION_HEADER.value);
  res.writeHead(reply.statusCode);
  try {
    await copyRange(file, res, range?.start ?? 0, range?.end ?? st.size - 1);
    res.end();
  } catch (err) {
    // Headers are out: a truncated body is the only way left to signal the failure.
    req.log.debug({ err, digest: route.digest }, 'blob body not completed');
    res.destroy();
  } finally {
    await file.close();
  }
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
