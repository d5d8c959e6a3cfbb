// Copies a directory tree keeping what a filesystem copy must keep for a container: owners,
// modes (setuid included), timestamps, extended attributes, hard links, symlinks as links and
// device nodes, as the copy-up of a volume from its image does (continuity's fs.CopyDir).
import {
  chmodSync,
  copyFileSync,
  linkSync,
  lchownSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import { libc, type Libc } from '../system/libc';

/** Copies the contents of `source` into the existing directory `target`, then its metadata. */
export async function copyTree(source: string, target: string): Promise<void> {
  const sys = await libc();
  const links = new Map<string, string>();
  copyChildren(sys, source, target, links);
  copyMetadata(sys, source, target, lstatSync(source, { bigint: true }));
}

function copyChildren(sys: Libc, source: string, target: string, links: Map<string, string>) {
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    const to = join(target, name);
    const stat = lstatSync(from, { bigint: true });
    const inode = `${stat.dev}:${stat.ino}`;
    const linked = !stat.isDirectory() && stat.nlink > 1n ? links.get(inode) : undefined;
    if (linked) {
      linkSync(linked, to);
      continue;
    }
    if (stat.isDirectory()) {
      mkdirSync(to);
      copyChildren(sys, from, to, links);
    } else if (stat.isFile()) copyFileSync(from, to);
    else if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (stat.isCharacterDevice() || stat.isBlockDevice() || stat.isFIFO())
      sys.mknod(to, Number(stat.mode), Number(stat.rdev));
    else continue; // sockets belong to the process that bound them
    if (stat.nlink > 1n) links.set(inode, to);
    copyMetadata(sys, from, to, stat);
  }
}

function copyMetadata(sys: Libc, from: string, to: string, stat: BigIntStats) {
  lchownSync(to, Number(stat.uid), Number(stat.gid));
  for (const name of sys.listXattrs(from)) {
    const value = sys.getXattr(from, name);
    if (value) sys.setXattr(to, name, value);
  }
  // chown clears setuid/setgid, so the mode comes after it
  if (!stat.isSymbolicLink()) chmodSync(to, Number(stat.mode & 0o7777n));
  lutimesSync(to, Number(stat.atimeMs) / 1000, Number(stat.mtimeMs) / 1000);
}
