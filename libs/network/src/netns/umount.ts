// umount2(2) through koffi: removing a namespace is an unmount Node lacks, and spawning
// umount(8) for it would put a process on every container removal.
import koffi from 'koffi';

const MNT_DETACH = 2;
const EINVAL = 22;
const ENOENT = 2;

const libc = koffi.load('libc.so.6');
const umount2 = libc.func('int umount2(const char *, int)');

/** Lazily detaches the mount at `path`; false when nothing was mounted there. */
export function detachMount(path: string): boolean {
  if (umount2(path, MNT_DETACH) === 0) return true;
  const errno = koffi.errno();
  if (errno === EINVAL || errno === ENOENT) return false;
  throw new Error(`umount2 ${path}: errno ${errno}`);
}
