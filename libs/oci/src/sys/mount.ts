// mount(2) and umount2(2) for rootfs mounts as containerd hands them over (type, source,
// mount(8)-style options): the shim mounts them at <bundle>/rootfs and unmounts them, and
// containerd unmounts whatever a dead shim left there before it removes a bundle. Its own
// entry point (@berth/oci/mount) and a binding made on first use keep both start paths light.
import { constants } from 'node:os';
import koffi from 'koffi';
import { parseMountOptions } from '../plan/mount-options';

export interface Mount {
  type: string;
  source: string;
  options: string[];
}

/** umount2 flag: detach now, let the kernel finish when the mount is no longer busy. */
export const MNT_DETACH = 2;

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

function fail(call: string, target: string): never {
  const errno = koffi.errno();
  const code =
    Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `errno ${errno}`;
  throw Object.assign(new Error(`${call} ${target}: ${code}`), { code, errno });
}

/**
 * Mounts each mount on `target`, in order, as containerd's mount.All does (propagation options
 * are a second mount(2) call); on failure undoes what it did.
 */
export function mountAll(mounts: readonly Mount[], target: string): void {
  let done = 0;
  try {
    for (const m of mounts) {
      const { flags, propagation, data } = parseMountOptions(m.options);
      if (load().mount(m.source, target, m.type, flags, data || null) !== 0) fail('mount', target);
      done++;
      if (propagation && load().mount('', target, '', propagation, null) !== 0)
        fail('mount', target);
    }
  } catch (err) {
    for (; done > 0; done--) load().umount2(target, 0);
    throw err;
  }
}

/**
 * Unmounts everything stacked on `target`, as containerd's mount.UnmountAll does; nothing
 * mounted there (or no `target`) is fine. `flags` are umount2's, e.g. MNT_DETACH.
 */
export function unmountAll(target: string, flags = 0): void {
  for (;;) {
    if (load().umount2(target, flags) === 0) continue;
    const errno = koffi.errno();
    if (errno === constants.errno.EINVAL || errno === constants.errno.ENOENT) return;
    fail('umount', target);
  }
}
