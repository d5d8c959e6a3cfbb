import koffi from 'koffi';
import { constants } from 'node:os';

// The few syscalls Node lacks that unpacking needs: device nodes (overlay whiteouts are
// char 0:0) and extended attributes (opaque directories, file capabilities). One libc
// binding, loaded on first use so the daemon's start path stays light.
interface Libc {
  mknod: (path: string, mode: number, dev: bigint) => number;
  lsetxattr: (path: string, name: string, value: Buffer, size: number, flags: number) => number;
  lgetxattr: (path: string, name: string, value: Buffer | null, size: number) => number;
  errno: () => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    mknod: lib.func('int mknod(const char *path, uint32_t mode, uint64_t dev)'),
    lsetxattr: lib.func(
      'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
    ),
    lgetxattr: lib.func(
      'long lgetxattr(const char *path, const char *name, _Out_ void *value, size_t size)',
    ),
    errno: () => koffi.errno(),
  };
  return libc;
}

function fail(call: string, path: string): never {
  const errno = load().errno();
  const code =
    Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
  const err = new Error(`${call} ${path}: ${code}`) as NodeJS.ErrnoException;
  err.code = code;
  err.errno = errno;
  throw err;
}

/** Linux makedev(3) for the 64-bit dev_t layout. */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return (
    ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn)
  );
}

export function mknod(path: string, mode: number, major = 0, minor = 0): void {
  if (load().mknod(path, mode, makedev(major, minor)) !== 0) fail('mknod', path);
}

export function lsetxattr(path: string, name: string, value: Buffer): void {
  if (load().lsetxattr(path, name, value, value.length, 0) !== 0) fail('lsetxattr', path);
}

/** The attribute's value, or undefined when the file does not carry it. */
export function lgetxattr(path: string, name: string): Buffer | undefined {
  const l = load();
  const buf = Buffer.alloc(4096);
  const n = l.lgetxattr(path, name, buf, buf.length);
  if (n < 0) {
    if (l.errno() === constants.errno.ENODATA) return undefined;
    fail('lgetxattr', path);
  }
  return buf.subarray(0, n);
}
