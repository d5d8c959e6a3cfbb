// Reads a file of a container's root filesystem without mounting it: the snapshot's mounts
// name the overlay layer directories, searched top-down. Symlinks are not followed, so a
// hostile image cannot point the daemon at a host file.
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Mount {
  type: string;
  source: string;
  options: string[];
}

function layerDirs(mounts: readonly Mount[]): string[] {
  const dirs: string[] = [];
  for (const mount of mounts) {
    if (mount.type === 'bind') dirs.push(mount.source);
    if (mount.type !== 'overlay') continue;
    const option = (name: string) =>
      mount.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
    const upper = option('upperdir');
    if (upper) dirs.push(upper);
    dirs.push(...(option('lowerdir')?.split(':') ?? []));
  }
  return dirs;
}

export function readRootfsFile(mounts: readonly Mount[], path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const dir of layerDirs(mounts)) {
    let current = dir;
    let ok = true;
    for (const [i, part] of parts.entries()) {
      current = join(current, part);
      try {
        const stat = lstatSync(current);
        if (stat.isSymbolicLink() || (i < parts.length - 1 && !stat.isDirectory())) ok = false;
        // overlay whiteout: the file was deleted in this layer
        if (stat.isCharacterDevice() && stat.rdev === 0) return undefined;
      } catch {
        ok = false;
      }
      if (!ok) break;
    }
    if (ok) return readFileSync(current, 'utf8');
  }
  return undefined;
}
