// Syscalls Node lacks that volumes and docker cp need: mount (local volume options, a
// stopped container's rootfs), extended attributes and mknod (copy-up and extraction keep
// xattrs and device nodes). Bound through koffi on first use, off the daemon's start path.

export interface Libc {
  mount(
    source: string | null,
    target: string,
    type: string | null,
    flags: number,
    data: string | null,
  ): void;
  /** Names of the extended attributes of `path` (the link itself for a symlink). */
  listXattrs(path: string): string[];
  getXattr(path: string, name: string): Buffer | undefined;
  setXattr(path: string, name: string, value: Buffer): void;
  mknod(path: string, mode: number, dev: number): void;
}

export class SysError extends Error {
  constructor(
    what: string,
    readonly errno: number,
  ) {
    super(`${what}: errno ${errno}`);
  }
}

const ENODATA = 61;
const ENOTSUP = 95;

let bound: Promise<Libc> | undefined;

export function libc(): Promise<Libc> {
  bound ??= bind();
  return bound;
}

async function bind(): Promise<Libc> {
  const koffi = (await import('koffi')).default;
  const lib = koffi.load('libc.so.6');
  const mount = lib.func(
    'int mount(const char *src, const char *target, const char *type, unsigned long flags, const char *data)',
  );
  const llistxattr = lib.func('long llistxattr(const char *path, void *list, size_t size)');
  const lgetxattr = lib.func(
    'long lgetxattr(const char *path, const char *name, void *value, size_t size)',
  );
  const lsetxattr = lib.func(
    'int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)',
  );
  const mknod = lib.func('int mknod(const char *path, uint32_t mode, uint64_t dev)');
  const check = (what: string, rc: number | bigint) => {
    if (Number(rc) < 0) throw new SysError(what, koffi.errno());
    return Number(rc);
  };
  // Sizes are asked first (size 0), then read; a value that grew in between is asked again.
  const sized = (what: string, call: (buf: Buffer | null, size: number) => number | bigint) => {
    for (;;) {
      const size = check(what, call(null, 0));
      const buf = Buffer.alloc(size);
      const rc = Number(call(buf, size));
      if (rc >= 0) return buf.subarray(0, rc);
      if (koffi.errno() !== 34 /* ERANGE */) throw new SysError(what, koffi.errno());
    }
  };
  return {
    mount: (source, target, type, flags, data) =>
      void check(`mount ${target}`, mount(source, target, type, flags, data)),
    listXattrs(path) {
      try {
        const list = sized(`llistxattr ${path}`, (buf, size) => llistxattr(path, buf, size));
        return list.toString('latin1').split('\0').filter(Boolean);
      } catch (err) {
        if (err instanceof SysError && err.errno === ENOTSUP) return [];
        throw err;
      }
    },
    getXattr(path, name) {
      try {
        return sized(`lgetxattr ${path}`, (buf, size) => lgetxattr(path, name, buf, size));
      } catch (err) {
        if (err instanceof SysError && err.errno === ENODATA) return undefined;
        throw err;
      }
    },
    setXattr: (path, name, value) =>
      void check(`lsetxattr ${path}`, lsetxattr(path, name, value, value.length, 0)),
    mknod: (path, mode, dev) => void check(`mknod ${path}`, mknod(path, mode, dev)),
  };
}
