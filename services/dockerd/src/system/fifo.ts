// Named pipes for container stdio: containerd's shim opens the other end of each.
// Node has no mkfifo, so libc's is called through koffi (loaded on first use).
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';

let mkfifoFn: ((path: string, mode: number) => number) | undefined;
let errnoFn: (() => number) | undefined;

async function bind() {
  if (mkfifoFn) return;
  const koffi = (await import('koffi')).default;
  const libc = koffi.load('libc.so.6');
  mkfifoFn = libc.func('int mkfifo(const char *path, uint32_t mode)') as never;
  errnoFn = () => koffi.errno();
}

const EEXIST = 17;

/** Creates the FIFO at `path` (0700), leaving one that already exists in place. */
export async function mkfifo(path: string): Promise<void> {
  await bind();
  if (mkfifoFn!(path, 0o700) !== 0) {
    const errno = errnoFn!();
    if (errno !== EEXIST) throw new Error(`mkfifo ${path}: errno ${errno}`);
  }
}

/**
 * Opens the read end without blocking: Linux reports no EOF on it until a writer has come
 * and gone, so it can be opened before the shim opens the write end.
 */
export function openFifoReader(path: string): Socket {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/** Opens a FIFO for writing without waiting for a reader (O_RDWR never blocks on Linux). */
export function openFifoWriter(path: string): Socket {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd, readable: false, writable: true });
}
