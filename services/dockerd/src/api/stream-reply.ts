// Responses that outlive a normal reply: headers are flushed at once (the client waits for
// them before it goes on, as `docker run` does for /wait) and the body follows later.
import type { FastifyReply } from 'fastify';
import { engineHeaders } from './app';

export function openStream(reply: FastifyReply, engineVersion: string, contentType: string) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...engineHeaders(engineVersion), 'Content-Type': contentType });
  raw.flushHeaders();
  return raw;
}
