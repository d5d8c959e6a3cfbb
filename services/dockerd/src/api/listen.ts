// Binds the API the way dockerd does. unix:///path: a stale socket file from a previous run
// is replaced, and the socket is 0660 owned by the API group when it exists. fd://[name]: the
// socket systemd's berth-docker.socket created and passed (mode and group are already set).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { listenFds, listenOnFd, selectListenFds } from '@berth/systemd';
import type { FastifyInstance } from 'fastify';
import { unixSocketPath } from '../config';

export async function listenApi(app: FastifyInstance, host: string, group: string): Promise<void> {
  if (!host.startsWith('fd://')) return listenUnix(app, unixSocketPath(host), group);
  const [socket] = selectListenFds(host, listenFds());
  if (!socket) throw new Error(`${host}: systemd passed no socket`);
  await app.ready();
  await listenOnFd(app.server, socket.fd);
}

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
