// Socket activation (sd_listen_fds(3)): systemd passes listening sockets as fds 3, 4, … and
// describes them in LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES.
import type { Server } from 'node:net';
import { libC } from './native';

export const SD_LISTEN_FDS_START = 3;
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;
const ENV_NAMES = ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES'] as const;

export interface ListenFd {
  fd: number;
  /** FileDescriptorName= of the socket unit (its unit name by default), "unknown" if unnamed. */
  name: string;
}

/**
 * The fds described by the environment, validated as sd_listen_fds does: none unless
 * LISTEN_PID is this process (the variables leak into children otherwise), an error when the
 * variables are malformed or the names do not match the count.
 */
export function parseListenFds(env: NodeJS.ProcessEnv, pid: number): ListenFd[] {
  if (env.LISTEN_PID === undefined) return [];
  if (!/^[1-9]\d*$/.test(env.LISTEN_PID)) throw new Error(`invalid LISTEN_PID ${env.LISTEN_PID}`);
  if (Number(env.LISTEN_PID) !== pid) return [];
  const count = env.LISTEN_FDS ?? '';
  if (!/^\d+$/.test(count)) throw new Error(`invalid LISTEN_FDS ${JSON.stringify(count)}`);
  const n = Number(count);
  const names = env.LISTEN_FDNAMES === undefined ? undefined : env.LISTEN_FDNAMES.split(':');
  if (names && names.length !== n)
    throw new Error(`LISTEN_FDNAMES names ${names.length} sockets, LISTEN_FDS says ${n}`);
  return Array.from({ length: n }, (_, i) => ({
    fd: SD_LISTEN_FDS_START + i,
    name: names?.[i] ?? 'unknown',
  }));
}

/**
 * The sockets systemd passed to this process, taken once: like sd_listen_fds(unset=1) it
 * removes the variables (children must not believe the fds are theirs) and marks each fd
 * close-on-exec so that the runtimes and shims the daemon spawns do not hold the API socket.
 */
export function listenFds(env: NodeJS.ProcessEnv = process.env, pid = process.pid): ListenFd[] {
  try {
    const fds = parseListenFds(env, pid);
    for (const { fd } of fds) setCloseOnExec(fd);
    return fds;
  } finally {
    for (const name of ENV_NAMES) delete env[name];
  }
}

function setCloseOnExec(fd: number): void {
  const c = libC();
  const flags = c.fcntl(fd, F_GETFD, 0);
  if (flags < 0 || c.fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
    throw new Error(`fd ${fd} from systemd is not open (errno ${c.errno()})`);
}

/**
 * The fds a `fd://…` listen address selects, as dockerd reads `-H`: `fd://` takes every
 * passed socket, `fd://N` the socket at fd N, `fd://NAME` those named NAME
 * (FileDescriptorName= in the .socket unit).
 */
export function selectListenFds(address: string, fds: readonly ListenFd[]): ListenFd[] {
  if (!address.startsWith('fd://')) throw new Error(`${address} is not an fd:// address`);
  if (fds.length === 0)
    throw new Error(
      'no sockets found via socket activation: make sure the service was started by systemd',
    );
  const which = address.slice('fd://'.length);
  if (which === '' || which === '*') return [...fds];
  const selected = /^\d+$/.test(which)
    ? fds.filter((f) => f.fd === Number(which))
    : fds.filter((f) => f.name === which);
  if (selected.length === 0)
    throw new Error(
      `no socket activated for ${address} (passed: ${fds.map((f) => `${f.fd}=${f.name}`).join(', ')})`,
    );
  return selected;
}

/** Starts `server` (net, http or https) on an inherited listening socket. */
export function listenOnFd(server: Server, fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ fd }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
