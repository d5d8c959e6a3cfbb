// docker cp's archive API over a container root: stat a path (the X-Docker-Container-Path-Stat
// header), pack it as a tar rebased on its name, and extract a tar into a directory. Every
// path, and every path inside the tar, is resolved within the root (resolve-in-root), so a
// symlink in the container never points the daemon at a host file.
import { lstatSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { invalidParameter, notFound } from '../api/errors';
import { resolveInRoot } from './resolve-in-root';

/** The JSON of X-Docker-Container-Path-Stat (types.ContainerPathStat). */
export interface PathStat {
  name: string;
  size: number;
  /** A Go os.FileMode: permission bits plus Go's type and special bits. */
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface ResolvedPath {
  /** The path as the container sees it, made absolute ("/etc/hostname"). */
  absPath: string;
  /** The host path; its last component is not followed unless the path ends in "/" or "/.". */
  hostPath: string;
}

/** Docker's ResolvePath: the directory is resolved in the root, the last element kept. */
export function resolveContainerPath(root: string, path: string): ResolvedPath {
  const absPath = posix.join('/', path) + (/\/\.?$/.test(path) && path !== '/' ? '/' : '');
  const base = posix.basename(absPath);
  const followLast = absPath.endsWith('/') || base === '..' || base === '.';
  return { absPath, hostPath: resolveInRoot(root, absPath, followLast) };
}

export function fileNotFound(path: string, container: string) {
  return notFound(`Could not find the file ${path} in container ${container}`);
}

export function lstatOrNotFound(hostPath: string, path: string, container: string): Stats {
  try {
    return lstatSync(hostPath);
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code === 'ENOENT' ||
      (err as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      throw fileNotFound(path, container);
    throw err;
  }
}

const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
};

/** A stat's mode as Go's os.FileMode, which the CLI decodes. */
export function goFileMode(stat: Stats): number {
  let mode = stat.mode & 0o777;
  if (stat.isDirectory()) mode += GO_MODE.dir;
  else if (stat.isSymbolicLink()) mode += GO_MODE.symlink;
  else if (stat.isBlockDevice()) mode += GO_MODE.device;
  else if (stat.isCharacterDevice()) mode += GO_MODE.device + GO_MODE.charDevice;
  else if (stat.isFIFO()) mode += GO_MODE.namedPipe;
  else if (stat.isSocket()) mode += GO_MODE.socket;
  if (stat.mode & 0o4000) mode += GO_MODE.setuid;
  if (stat.mode & 0o2000) mode += GO_MODE.setgid;
  if (stat.mode & 0o1000) mode += GO_MODE.sticky;
  return mode;
}

/** Stats a path of the container; a symlink's target is given fully resolved in the root. */
export function statContainerPath(root: string, path: string, container: string): PathStat {
  const { absPath, hostPath } = resolveContainerPath(root, path);
  const stat = lstatOrNotFound(hostPath, path, container);
  const linkTarget = stat.isSymbolicLink()
    ? posix.join('/', posix.relative(root, resolveInRoot(root, absPath)))
    : '';
  return {
    name: absPath === '/' ? '/' : posix.basename(absPath),
    size: stat.size,
    mode: goFileMode(stat),
    mtime: stat.mtime.toISOString(),
    linkTarget,
  };
}

export const encodePathStat = (stat: PathStat) =>
  Buffer.from(JSON.stringify(stat)).toString('base64');

/** A tar entry name normalized against the extraction directory, or Docker's breakout error. */
export function entryPath(name: string, dest: string): string | undefined {
  const normalized = posix.normalize(name.replace(/^\/+/, ''));
  if (normalized === '.' || normalized === './') return undefined;
  if (normalized === '..' || normalized.startsWith('../'))
    throw invalidParameter(`"${name}" is outside of "${dest}"`);
  return posix.join(dest, normalized.replace(/\/$/, ''));
}
