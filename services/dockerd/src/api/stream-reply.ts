// Responses that outlive a normal reply: headers are flushed at once (the client waits for
// them before it goes on, as `docker run` does for /wait) and the body follows later.
import type { Readable, Writable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { engineHeaders } from './app';

export function openStream(reply: FastifyReply, engineVersion: string, contentType: string) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...engineHeaders(engineVersion), 'Content-Type': contentType });
  raw.flushHeaders();
  return raw;
}

/**
 * Pipes `source` into a hijacked reply until either side ends: a client that hangs up stops
 * the source, a failing source cuts the reply short (headers are gone, so that is all a
 * streaming answer can say). Unlike stream.pipeline, a reply closed early is not an error.
 */
export function pipeToReply(source: Readable, raw: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    source.once('error', () => raw.destroy());
    raw.once('close', () => {
      source.destroy();
      resolve();
    });
    source.pipe(raw);
  });
}
