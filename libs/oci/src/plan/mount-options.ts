// Mount option strings to MS_* flags, as mount(8) and runc read them.

export const MS = {
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
  MOVE: 0x2000,
  REC: 0x4000,
  SILENT: 0x8000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  IVERSION: 0x800000,
  STRICTATIME: 0x1000000,
  LAZYTIME: 0x2000000,
} as const;

/** [flag, set (true) or clear (false)] per option. */
const FLAG_OPTIONS: Record<string, [number, boolean]> = {
  async: [MS.SYNCHRONOUS, false],
  atime: [MS.NOATIME, false],
  bind: [MS.BIND, true],
  defaults: [0, false],
  dev: [MS.NODEV, false],
  diratime: [MS.NODIRATIME, false],
  dirsync: [MS.DIRSYNC, true],
  exec: [MS.NOEXEC, false],
  iversion: [MS.IVERSION, true],
  lazytime: [MS.LAZYTIME, true],
  mand: [MS.MANDLOCK, true],
  noatime: [MS.NOATIME, true],
  nodev: [MS.NODEV, true],
  nodiratime: [MS.NODIRATIME, true],
  noexec: [MS.NOEXEC, true],
  noiversion: [MS.IVERSION, false],
  nolazytime: [MS.LAZYTIME, false],
  nomand: [MS.MANDLOCK, false],
  norelatime: [MS.RELATIME, false],
  nostrictatime: [MS.STRICTATIME, false],
  nosuid: [MS.NOSUID, true],
  rbind: [MS.BIND | MS.REC, true],
  relatime: [MS.RELATIME, true],
  remount: [MS.REMOUNT, true],
  ro: [MS.RDONLY, true],
  rw: [MS.RDONLY, false],
  silent: [MS.SILENT, true],
  strictatime: [MS.STRICTATIME, true],
  suid: [MS.NOSUID, false],
  sync: [MS.SYNCHRONOUS, true],
};

export const PROPAGATION: Record<string, number> = {
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

/** Splits options into flags, propagation and the filesystem's data string. */
export function parseMountOptions(options: readonly string[] = []): ParsedOptions {
  let flags = 0;
  let propagation = 0;
  const data: string[] = [];
  for (const opt of options) {
    const flag = FLAG_OPTIONS[opt];
    const prop = PROPAGATION[opt];
    if (flag) flags = flag[1] ? flags | flag[0] : flags & ~flag[0];
    else if (prop !== undefined) propagation = prop;
    else data.push(opt);
  }
  return { flags, propagation, data: data.join(',') };
}
