import { constants, existsSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { mknod } from '../core/sys/syscalls';

/**
 * The bundle's `log` FIFO (runtime/v2/shim_unix.go openShimLog): shims dup their stderr onto
 * it and fail to start if it is missing. Held open read-write so a restarting writer never
 * sees EPIPE; each line is relayed to the daemon log.
 */
export function openShimLog(bundle: string, log: Logger): () => void {
  const path = join(bundle, 'log');
  // A reconnecting daemon finds the FIFO the shim already writes to.
  if (!existsSync(path)) mknod(path, constants.S_IFIFO | 0o700);
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  const pipe = new Socket({ fd, readable: true, writable: false });
  createInterface({ input: pipe }).on('line', (line) => log.debug({ shimLog: line }, 'shim'));
  pipe.on('error', () => {});
  return () => pipe.destroy();
}
