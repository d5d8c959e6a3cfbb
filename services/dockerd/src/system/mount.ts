// mount(8)-style option lists ("ro,bind,size=1m") turned into mount(2) calls, as containerd's
// mount.Mount and Docker's local volume driver do, with the option table the runtime uses:
// propagation is a second call, and a read-only bind needs a remount.
import { MS, parseMountOptions } from '@berth/oci';
import { MNT_DETACH, unmountAll } from '@berth/oci/mount';
import { libc } from './libc';

/** Mounts `source` on `target` with mount(8) options; never propagates to other namespaces. */
export async function mountWithOptions(
  source: string,
  target: string,
  type: string,
  options: readonly string[],
): Promise<void> {
  const sys = await libc();
  const { flags, propagation, data } = parseMountOptions(options);
  const bind = (flags & MS.BIND) !== 0;
  sys.mount(source, target, bind ? null : type, flags, data || null);
  // The kernel ignores MS_RDONLY (and the other per-mount flags) on a new bind mount.
  if (bind && flags & ~(MS.BIND | MS.REC))
    sys.mount(null, target, null, flags | MS.REMOUNT | MS.BIND, null);
  sys.mount(null, target, null, propagation || MS.PRIVATE, null);
}

/** Detaches everything mounted on `target`; nothing mounted there (or no `target`) is fine. */
export function unmount(target: string): void {
  unmountAll(target, MNT_DETACH);
}

/** The mount points listed in /proc/self/mountinfo text. */
export function mountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => unescapeMountinfo(line.split(' ')[4] ?? ''));
}

/** Whether something is mounted exactly at `path` (from /proc/self/mountinfo). */
export function isMountPoint(path: string, mountinfo: string): boolean {
  return mountPoints(mountinfo).includes(path);
}

const unescapeMountinfo = (field: string) =>
  field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
