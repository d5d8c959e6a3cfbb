// Resolves a path inside a container's root as if the process were chrooted there: symlinks
// (absolute or relative) and ".." are evaluated component by component and can never leave
// the root, as Docker's symlink.FollowSymlinkInScope does. Parts that do not exist yet are
// appended as given.
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const MAX_LINKS = 255;

export class SymlinkLoopError extends Error {}

/** The host path of `path` in `root`; the last component is a symlink left unfollowed when followLast is false. */
export function resolveInRoot(root: string, path: string, followLast = true): string {
  const pending = path.split('/');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const isLast = pending.every((p) => p === '' || p === '.');
    const host = join(root, ...resolved, part);
    let target: string | undefined;
    if (followLast || !isLast) {
      try {
        if (lstatSync(host).isSymbolicLink()) target = readlinkSync(host);
      } catch {
        // not there (yet): taken literally
      }
    }
    if (target === undefined) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw new SymlinkLoopError(`too many symlinks resolving ${path}`);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/'));
  }
  return join(root, ...resolved);
}
