// Request helpers shared by the resource handlers.
import type { IncomingMessage } from 'node:http';
import type { FastifyReply } from 'fastify';
import { RegistryError } from '../errors';

/** Sent with every response, as upstream does. */
export const API_VERSION_HEADER = {
  name: 'Docker-Distribution-API-Version',
  value: 'registry/2.0',
};

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RegistryError('SIZE_INVALID', 'invalid Content-Length');
  }
  return n;
}

/** Reads a whole (small) body, refusing more than `limit` bytes before buffering them. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new RegistryError('SIZE_INVALID', 'request body too large', { limit }, 413);
  if ((declaredLength(req) ?? 0) > limit) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Drains an unexpected body so the connection stays usable. */
export function discardBody(req: IncomingMessage): void {
  if (hasBody(req)) req.resume();
}

export interface ByteRange {
  start: number;
  end: number;
}

/** Parses `bytes=a-b`, `bytes=a-` or `bytes=-n` against a blob of `size` bytes. */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = () =>
    new RegistryError('RANGE_INVALID', 'requested range not satisfiable', { range: header });
  if (!m || (m[1] === '' && m[2] === '')) throw unsatisfiable();
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) throw unsatisfiable();
  return { start, end };
}

/** Parses an upload's `Content-Range: start-end`. */
export function parseContentRange(header: string | undefined): ByteRange | null {
  if (header === undefined) return null;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) {
    throw new RegistryError('RANGE_INVALID', 'invalid Content-Range', { range: header });
  }
  const range = { start: Number(m[1]), end: Number(m[2]) };
  if (range.end < range.start) {
    throw new RegistryError('RANGE_INVALID', 'invalid Content-Range', { range: header });
  }
  return range;
}

export function queryString(value: unknown): string | undefined {
  if (Array.isArray(value)) return queryString(value[0]);
  return typeof value === 'string' ? value : undefined;
}

/** Pages through a sorted list the way the spec's `n` and `last` parameters do. */
export function paginate(
  items: string[],
  nParam: string | undefined,
  last: string | undefined,
): { page: string[]; more: boolean; n?: number } {
  const after = last === undefined ? items : items.filter((i) => i > last);
  if (nParam === undefined) return { page: after, more: false };
  const n = Number(nParam);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RegistryError('PAGINATION_NUMBER_INVALID', 'invalid number of results requested', {
      n: nParam,
    });
  }
  return { page: after.slice(0, n), more: after.length > n && n > 0, n };
}

/** Sends JSON with exactly the given media type (a string body would get `; charset=utf-8`). */
export function sendJson(
  reply: FastifyReply,
  value: unknown,
  mediaType = 'application/json',
): FastifyReply {
  return reply.header('Content-Type', mediaType).send(Buffer.from(JSON.stringify(value)));
}
