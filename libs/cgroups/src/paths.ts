import { posix } from 'node:path';
import { CgroupError } from './errors';

/**
 * Resolves the spec's cgroupsPath to a path inside a hierarchy, as runc's cgroupfs driver does:
 * an absolute path is taken from the hierarchy root, a relative one from `base` (the runtime's
 * own cgroup). "." and ".." are cleaned lexically and cannot climb above the hierarchy root.
 */
export function resolveCgroupPath(cgroupsPath: string, base: string): string {
  if (cgroupsPath.trim() === '' || cgroupsPath.includes('\0')) {
    throw new CgroupError(`invalid cgroupsPath ${JSON.stringify(cgroupsPath)}`);
  }
  const joined = posix.isAbsolute(cgroupsPath) ? cgroupsPath : posix.join('/', base, cgroupsPath);
  // normalize() keeps leading ".." only for relative paths; joined is absolute, so none survive.
  const cleaned = posix.normalize(joined).replace(/(.)\/$/, '$1');
  if (cleaned === '/') {
    throw new CgroupError(`cgroupsPath ${JSON.stringify(cgroupsPath)} names the hierarchy root`);
  }
  return cleaned;
}
