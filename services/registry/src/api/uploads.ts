// Blob uploads: POST /v2/<name>/blobs/uploads/ (monolithic, session start or cross-mount) and
// PATCH/PUT/GET/DELETE /v2/<name>/blobs/uploads/<uuid>.
import type { FastifyReply } from 'fastify';
import { RegistryError } from '../errors';
import { assertName, formatDigest, parseDigest } from '../reference';
import type { UploadSession } from '../storage/uploads';
import type { MethodTable } from './context';
import { declaredLength, discardBody, hasBody, parseContentRange, queryString } from './http';
import type { Route } from './routes';

type UploadsRoute = Extract<Route, { kind: 'uploads' }>;
type UploadRoute = Extract<Route, { kind: 'upload' }>;

function uploadLocation(s: UploadSession): string {
  return `/v2/${s.repo}/blobs/uploads/${s.id}`;
}

function sendProgress(reply: FastifyReply, s: UploadSession, status: number): void {
  reply
    .code(status)
    .header('Location', uploadLocation(s))
    .header('Range', `0-${Math.max(s.size - 1, 0)}`)
    .header('Docker-Upload-UUID', s.id)
    .header('Content-Length', 0)
    .send();
}

function sendCreated(reply: FastifyReply, name: string, digest: string): void {
  reply
    .code(201)
    .header('Location', `/v2/${name}/blobs/${digest}`)
    .header('Docker-Content-Digest', digest)
    .header('Content-Length', 0)
    .send();
}

/** Checks that a chunk starts where the upload stands; otherwise 416 with the current range. */
function expectedChunkLength(
  header: string | undefined,
  s: UploadSession,
  reply: FastifyReply,
): number | undefined {
  const range = parseContentRange(header);
  if (!range) return undefined;
  if (range.start !== s.size) {
    reply
      .header('Location', uploadLocation(s))
      .header('Range', `0-${Math.max(s.size - 1, 0)}`)
      .header('Docker-Upload-UUID', s.id);
    throw new RegistryError('RANGE_INVALID', 'chunk does not start at the end of the upload', {
      expectedStart: s.size,
      start: range.start,
    });
  }
  return range.end - range.start + 1;
}

export const uploadStartHandlers: MethodTable<UploadsRoute> = {
  POST: async (ctx, req, reply, route) => {
    const query = req.query as Record<string, unknown>;
    const mount = queryString(query.mount);
    const from = queryString(query.from);
    if (mount !== undefined && from !== undefined) {
      const d = parseDigest(mount);
      assertName(from);
      if ((await ctx.storage.blobs.isLinked(from, d)) && (await ctx.mayPull(req, from))) {
        await ctx.storage.blobs.link(route.name, d);
        discardBody(req.raw);
        return sendCreated(reply, route.name, formatDigest(d));
      }
    }
    const digestParam = queryString(query.digest);
    if (digestParam === undefined) {
      discardBody(req.raw);
      return sendProgress(reply, await ctx.storage.uploads.create(route.name), 202);
    }
    const d = parseDigest(digestParam);
    const session = await ctx.storage.uploads.create(route.name, d.algorithm);
    try {
      await ctx.storage.uploads.append(session, req.raw, declaredLength(req.raw));
      await ctx.storage.uploads.finish(session, d);
    } catch (err) {
      await ctx.storage.uploads.cancel(session);
      throw err;
    }
    sendCreated(reply, route.name, formatDigest(d));
  },
};

export const uploadHandlers: MethodTable<UploadRoute> = {
  GET: async (ctx, _req, reply, route) => {
    sendProgress(reply, await ctx.storage.uploads.get(route.name, route.id), 204);
  },
  PATCH: async (ctx, req, reply, route) => {
    const s = await ctx.storage.uploads.get(route.name, route.id);
    await ctx.storage.uploads.settled(s);
    const length = expectedChunkLength(req.headers['content-range'], s, reply);
    await ctx.storage.uploads.append(s, req.raw, length ?? declaredLength(req.raw));
    sendProgress(reply, s, 202);
  },
  PUT: async (ctx, req, reply, route) => {
    const s = await ctx.storage.uploads.get(route.name, route.id);
    await ctx.storage.uploads.settled(s);
    const digestParam = queryString((req.query as Record<string, unknown>).digest);
    if (digestParam === undefined) {
      discardBody(req.raw);
      throw new RegistryError('DIGEST_INVALID', 'the digest parameter is required');
    }
    const d = parseDigest(digestParam);
    if (hasBody(req.raw)) {
      const length = expectedChunkLength(req.headers['content-range'], s, reply);
      await ctx.storage.uploads.append(s, req.raw, length ?? declaredLength(req.raw));
    }
    try {
      await ctx.storage.uploads.finish(s, d);
    } catch (err) {
      // A wrong digest ends the session: nothing of it may become visible.
      if (err instanceof RegistryError && err.code === 'DIGEST_INVALID') {
        await ctx.storage.uploads.cancel(s);
      }
      throw err;
    }
    sendCreated(reply, route.name, formatDigest(d));
  },
  DELETE: async (ctx, _req, reply, route) => {
    const s = await ctx.storage.uploads.get(route.name, route.id);
    await ctx.storage.uploads.settled(s);
    await ctx.storage.uploads.cancel(s);
    reply.code(204).header('Content-Length', 0).send();
  },
};
