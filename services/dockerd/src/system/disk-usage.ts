// Bytes held by a directory tree, as Docker's directory.Size counts them for prune reports:
// file sizes, each hard-linked inode once, symlinks not followed.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function diskUsage(root: string): number {
  const seen = new Set<string>();
  let total = 0;
  const walk = (path: string) => {
    let stat;
    try {
      stat = lstatSync(path, { bigint: true });
    } catch {
      return; // removed while we walked
    }
    const inode = `${stat.dev}:${stat.ino}`;
    if (seen.has(inode)) return;
    seen.add(inode);
    if (!stat.isDirectory()) {
      total += Number(stat.size);
      return;
    }
    for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return total;
}
