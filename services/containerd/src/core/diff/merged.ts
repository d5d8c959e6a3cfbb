import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { lgetxattr } from '../sys/syscalls';

const OPAQUE_XATTR = 'trusted.overlay.opaque';

/** Overlayfs marks a deleted name with a 0:0 character device in the layer above. */
export const isWhiteout = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

/** Overlayfs marks a directory that hides the same directory in lower layers. */
export const isOpaque = (dir: string): boolean => lgetxattr(dir, OPAQUE_XATTR)?.toString() === 'y';

/** A name as an overlay mount of a stack of layers shows it. */
export interface MergedEntry {
  /** The entry in the topmost layer holding the name: its content and metadata. */
  abs: string;
  st: Stats;
  /** For a directory: the directories it merges, top layer first. */
  layers: string[];
}

/**
 * The visible entries of one directory of an overlay, read from that directory in each layer
 * (top first) without mounting: the topmost layer holding a name wins and a whiteout hides
 * it; a directory merges with the same directories below it until a layer holds a
 * non-directory or whiteout there, or the directory is opaque. Sorted by name.
 */
export function readMerged(layers: readonly string[]): Map<string, MergedEntry> {
  const found = new Map<string, MergedEntry | null>();
  // Directories that still merge with lower layers.
  const open = new Set<MergedEntry>();
  for (const dir of layers) {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const st = lstatSync(abs);
      const seen = found.get(name);
      if (seen === undefined) {
        const entry = isWhiteout(st) ? null : { abs, st, layers: st.isDirectory() ? [abs] : [] };
        found.set(name, entry);
        if (entry && st.isDirectory() && !isOpaque(abs)) open.add(entry);
      } else if (seen && open.has(seen)) {
        if (st.isDirectory()) seen.layers.push(abs);
        if (!st.isDirectory() || isOpaque(abs)) open.delete(seen);
      }
    }
  }
  const visible = [...found].filter((e): e is [string, MergedEntry] => e[1] !== null);
  return new Map(visible.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
