import { lstatSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { sameEntry } from './compare';
import { LayerTar } from './layer-tar';
import { readMerged, type MergedEntry } from './merged';

interface Dir {
  path: string;
  abs: string;
  st: Stats;
}

/**
 * The OCI layer that turns the overlay of `lower` layers into that of `upper` layers (both
 * top first), from walking both merged trees side by side as upstream's walking differ does:
 * added and modified entries are written from `upper`, deleted ones as whiteouts, and a
 * directory replaced by another type is written as that entry (applying it removes the
 * directory). Unchanged directories are written only above a change, as upstream's tar
 * writer includes parents.
 */
export function treeDiffTar(lower: readonly string[], upper: readonly string[]): Readable {
  const out = new LayerTar();
  // Unchanged upper directories on the path to the entry being compared, not yet written.
  const pending: Dir[] = [];
  const change = async (): Promise<void> => {
    for (const dir of pending.splice(0)) await out.add(dir.path, dir.abs, dir.st);
  };
  const walk = async (
    rel: string,
    mtime: Date,
    left: readonly string[],
    right: readonly string[],
  ): Promise<void> => {
    const before = readMerged(left);
    const after = readMerged(right);
    const names = [...new Set([...before.keys(), ...after.keys()])].sort();
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      const a = before.get(name);
      const b = after.get(name);
      if (!b) {
        await change();
        // Whiteouts take their directory's time: the same trees always give the same layer.
        await out.whiteout(path, mtime);
        continue;
      }
      if (!a || !sameEntry(a, b)) {
        await change();
        await out.add(path, b.abs, b.st);
      } else if (b.st.isDirectory()) {
        pending.push({ path, abs: b.abs, st: b.st });
      }
      if (b.st.isDirectory()) {
        await walk(path, b.st.mtime, bothDirs(a, b) ? a.layers : [], b.layers);
        if (pending.at(-1)?.path === path) pending.pop();
      }
    }
  };
  const top = upper[0];
  return out.stream(walk('', top ? lstatSync(top).mtime : new Date(0), lower, upper));
}

const bothDirs = (a: MergedEntry | undefined, b: MergedEntry): a is MergedEntry =>
  !!a && a.st.isDirectory() && b.st.isDirectory();
