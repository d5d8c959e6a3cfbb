// Binds the API to its unix socket the way dockerd does: a stale socket file from a
// previous run is replaced, and the socket is 0660 owned by the API group when it exists.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';

export async function listenUnix(app: FastifyInstance, path: string, group: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  await app.listen({ path });
  chmodSync(path, 0o660);
  const gid = groupId(group);
  if (gid !== undefined) chownSync(path, 0, gid);
}

function groupId(name: string): number | undefined {
  try {
    const entry = execFileSync('getent', ['group', name], { encoding: 'utf8' });
    const gid = Number(entry.split(':')[2]);
    return Number.isInteger(gid) ? gid : undefined;
  } catch {
    return undefined;
  }
}
