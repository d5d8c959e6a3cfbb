// mount(8)-style option lists ("ro,bind,size=1m") turned into mount(2) calls, as containerd's
// mount.Mount and Docker's local volume driver do: flags are set bits, propagation is a
// second call, a read-only bind needs a remount, everything else is filesystem data.
import { libc } from './libc';

const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  REMOUNT: 0x20,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  REC: 0x4000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
};
const MNT_DETACH = 2;

/** Option → [clear, flag]: "clear" options (rw, suid, …) remove the flag their opposite sets. */
const FLAG_OPTIONS: Record<string, [boolean, number]> = {
  defaults: [false, 0],
  ro: [false, MS.RDONLY],
  rw: [true, MS.RDONLY],
  nosuid: [false, MS.NOSUID],
  suid: [true, MS.NOSUID],
  nodev: [false, MS.NODEV],
  dev: [true, MS.NODEV],
  noexec: [false, MS.NOEXEC],
  exec: [true, MS.NOEXEC],
  sync: [false, MS.SYNCHRONOUS],
  async: [true, MS.SYNCHRONOUS],
  remount: [false, MS.REMOUNT],
  mand: [false, MS.MANDLOCK],
  nomand: [true, MS.MANDLOCK],
  dirsync: [false, MS.DIRSYNC],
  noatime: [false, MS.NOATIME],
  atime: [true, MS.NOATIME],
  nodiratime: [false, MS.NODIRATIME],
  diratime: [true, MS.NODIRATIME],
  bind: [false, MS.BIND],
  rbind: [false, MS.BIND | MS.REC],
  relatime: [false, MS.RELATIME],
  norelatime: [true, MS.RELATIME],
  strictatime: [false, MS.STRICTATIME],
  nostrictatime: [true, MS.STRICTATIME],
};

const PROPAGATION: Record<string, number> = {
  private: MS.PRIVATE,
  rprivate: MS.PRIVATE | MS.REC,
  shared: MS.SHARED,
  rshared: MS.SHARED | MS.REC,
  slave: MS.SLAVE,
  rslave: MS.SLAVE | MS.REC,
  unbindable: MS.UNBINDABLE,
  runbindable: MS.UNBINDABLE | MS.REC,
};

export interface ParsedOptions {
  flags: number;
  propagation: number;
  data: string;
}

export function parseMountOptions(options: readonly string[]): ParsedOptions {
  let flags = 0;
  let propagation = 0;
  const data: string[] = [];
  for (const option of options) {
    const flag = FLAG_OPTIONS[option];
    if (flag) flags = flag[0] ? flags & ~flag[1] : flags | flag[1];
    else if (PROPAGATION[option]) propagation = PROPAGATION[option];
    else data.push(option);
  }
  return { flags, propagation, data: data.join(',') };
}

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

export async function unmount(target: string): Promise<void> {
  (await libc()).umount2(target, MNT_DETACH);
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
