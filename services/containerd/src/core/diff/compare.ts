import { closeSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { lgetxattr } from '../sys/syscalls';
import type { MergedEntry } from './merged';

const CAPABILITY_XATTR = 'security.capability';
const CHUNK = 64 << 10;

function sameContent(a: string, b: string): boolean {
  const fa = openSync(a, 'r');
  try {
    const fb = openSync(b, 'r');
    try {
      const ba = Buffer.alloc(CHUNK);
      const bb = Buffer.alloc(CHUNK);
      for (;;) {
        const na = readSync(fa, ba, 0, CHUNK, null);
        const nb = readSync(fb, bb, 0, CHUNK, null);
        if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
        if (na === 0) return true;
      }
    } finally {
      closeSync(fb);
    }
  } finally {
    closeSync(fa);
  }
}

/** Modification time in nanoseconds (Stats' float milliseconds lose the low digits). */
const mtimeNs = (path: string): bigint => lstatSync(path, { bigint: true }).mtimeNs;

/**
 * Whether two entries are the same for a layer diff, as upstream's walking differ decides
 * (continuity fs.Changes): same inode, or same mode, owner, device and capabilities and, for
 * non-directories, same size and mtime — comparing content or link target only when both
 * mtimes lack sub-second precision (a copy may have truncated them).
 */
export function sameEntry(a: MergedEntry, b: MergedEntry): boolean {
  if (a.st.dev === b.st.dev && a.st.ino === b.st.ino) return true;
  if (
    a.st.mode !== b.st.mode ||
    a.st.uid !== b.st.uid ||
    a.st.gid !== b.st.gid ||
    a.st.rdev !== b.st.rdev
  ) {
    return false;
  }
  const capA = lgetxattr(a.abs, CAPABILITY_XATTR);
  const capB = lgetxattr(b.abs, CAPABILITY_XATTR);
  if (capA && capB ? !capA.equals(capB) : capA !== capB) return false;
  if (a.st.isDirectory()) return true;
  if (a.st.size !== b.st.size) return false;
  const ta = mtimeNs(a.abs);
  const tb = mtimeNs(b.abs);
  if (ta !== tb) return false;
  if (ta % 1_000_000_000n !== 0n) return true;
  if (a.st.isSymbolicLink()) return readlinkSync(a.abs) === readlinkSync(b.abs);
  return a.st.size === 0 || !a.st.isFile() || sameContent(a.abs, b.abs);
}
