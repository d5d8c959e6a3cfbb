// Mounting containerd's rootfs mounts (CreateTaskRequest.rootfs) at <bundle>/rootfs, and
// unmounting them. mount(2) and umount2(2) come through one koffi binding to libc.
import { constants } from 'node:os';
import koffi from 'koffi';

export interface Mount {
  type: string;
  source: string;
  options: string[];
}

interface Libc {
  mount(source: string, target: string, type: string, flags: number, data: string | null): number;
  umount2(target: string, flags: number): number;
}

let libc: Libc | undefined;
function load(): Libc {
  if (!libc) {
    const lib = koffi.load('libc.so.6');
    libc = {
      mount: lib.func(
        'int mount(const char *source, const char *target, const char *type, unsigned long flags, const char *data)',
      ),
      umount2: lib.func('int umount2(const char *target, int flags)'),
    };
  }
  return libc;
}

// mount(2) flags by option name: [set, flag]. Anything else is filesystem data.
const MS = { RDONLY: 1, NOSUID: 2, NODEV: 4, NOEXEC: 8, SYNCHRONOUS: 16, REMOUNT: 32 };
const MS_NOATIME = 1024;
const MS_NODIRATIME = 2048;
const MS_BIND = 4096;
const MS_REC = 16384;
const MS_RELATIME = 1 << 21;
const MS_STRICTATIME = 1 << 24;
const FLAG_OPTIONS: Record<string, [boolean, number]> = {
  ro: [true, MS.RDONLY],
  rw: [false, MS.RDONLY],
  nosuid: [true, MS.NOSUID],
  suid: [false, MS.NOSUID],
  nodev: [true, MS.NODEV],
  dev: [false, MS.NODEV],
  noexec: [true, MS.NOEXEC],
  exec: [false, MS.NOEXEC],
  sync: [true, MS.SYNCHRONOUS],
  async: [false, MS.SYNCHRONOUS],
  remount: [true, MS.REMOUNT],
  noatime: [true, MS_NOATIME],
  atime: [false, MS_NOATIME],
  nodiratime: [true, MS_NODIRATIME],
  diratime: [false, MS_NODIRATIME],
  bind: [true, MS_BIND],
  rbind: [true, MS_BIND | MS_REC],
  relatime: [true, MS_RELATIME],
  strictatime: [true, MS_STRICTATIME],
  defaults: [true, 0],
};

/** Splits mount options into mount(2) flags and the filesystem's data string. */
export function parseMountOptions(options: readonly string[]): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const option of options) {
    const known = FLAG_OPTIONS[option];
    if (!known) data.push(option);
    else if (known[0]) flags |= known[1];
    else flags &= ~known[1];
  }
  return { flags, data: data.join(',') };
}

function fail(call: string, target: string): never {
  const errno = koffi.errno();
  const code =
    Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
  throw Object.assign(new Error(`${call} ${target}: ${code}`), { code, errno });
}

/** Mounts each of containerd's mounts on `target`, in order; on failure undoes what it did. */
export function mountAll(mounts: readonly Mount[], target: string): void {
  let done = 0;
  try {
    for (const m of mounts) {
      const { flags, data } = parseMountOptions(m.options);
      if (load().mount(m.source, target, m.type, flags, data || null) !== 0) fail('mount', target);
      done++;
    }
  } catch (err) {
    for (; done > 0; done--) load().umount2(target, 0);
    throw err;
  }
}

/** Unmounts everything stacked on `target` (upstream's UnmountAll); nothing mounted is fine. */
export function unmountAll(target: string): void {
  const EINVAL = constants.errno.EINVAL;
  const ENOENT = constants.errno.ENOENT;
  for (;;) {
    if (load().umount2(target, 0) === 0) continue;
    const errno = koffi.errno();
    if (errno === EINVAL || errno === ENOENT) return;
    fail('umount', target);
  }
}
