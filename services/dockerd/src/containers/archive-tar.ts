// The tar side of docker cp: packing a container path (entries rebased on its name, symlinks
// kept as links, hard links as links) and extracting an upload into a container directory
// (owners, modes, times, links and device nodes; paths confined to the container root).
import {
  chmodSync,
  createReadStream,
  createWriteStream,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, pack, type Header } from 'tar-stream';
import { invalidParameter } from '../api/errors';
import { libc } from '../system/libc';
import { entryPath } from './archive';
import { resolveInRoot } from './resolve-in-root';

/** A tar of `hostPath` whose entries start with `name`, produced as the consumer reads. */
export function packPath(hostPath: string, name: string): Readable {
  const tar = pack();
  const links = new Map<string, string>();
  const add = async (path: string, entryName: string): Promise<void> => {
    const stat = lstatSync(path);
    const header: Partial<Header> & { name: string } = {
      name: stat.isDirectory() ? `${entryName}/` : entryName,
      mode: stat.mode & 0o7777,
      uid: stat.uid,
      gid: stat.gid,
      mtime: stat.mtime,
      size: 0,
    };
    const inode = `${stat.dev}:${stat.ino}`;
    const firstName = !stat.isDirectory() && stat.nlink > 1 ? links.get(inode) : undefined;
    if (firstName) {
      tar.entry({ ...header, type: 'link', linkname: firstName });
      return;
    }
    if (stat.nlink > 1) links.set(inode, entryName);
    if (stat.isDirectory()) {
      tar.entry({ ...header, type: 'directory' });
      for (const child of readdirSync(path).sort())
        await add(join(path, child), `${entryName}/${child}`);
    } else if (stat.isSymbolicLink()) {
      tar.entry({ ...header, type: 'symlink', linkname: readlinkSync(path) });
    } else if (stat.isFile()) {
      await pipeline(createReadStream(path), tar.entry({ ...header, size: stat.size }));
    } else if (stat.isCharacterDevice() || stat.isBlockDevice() || stat.isFIFO()) {
      tar.entry({ ...header, type: deviceType(stat), ...deviceNumbers(stat.rdev) });
    }
    // sockets are not archived, as tar does not
  };
  add(hostPath, name).then(
    () => tar.finalize(),
    (err: unknown) => tar.destroy(err as Error),
  );
  return Readable.from(tar);
}

function deviceType(stat: Stats): Header['type'] {
  if (stat.isCharacterDevice()) return 'character-device';
  return stat.isBlockDevice() ? 'block-device' : 'fifo';
}

/** glibc's major()/minor() of a dev_t. */
function deviceNumbers(rdev: number) {
  const dev = BigInt(rdev);
  return {
    devmajor: Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)),
    devminor: Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)),
  };
}

/** glibc's makedev(). */
function makedev(major: number, minor: number): number {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return Number(
    ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n),
  );
}

export interface ExtractOptions {
  /** Refuse to replace a directory with a non-directory or the reverse (docker cp's default). */
  noOverwriteDirNonDir: boolean;
  /** Owner for every extracted file instead of the archive's (docker cp -a into a container with a User). */
  chown?: { uid: number; gid: number };
}

const DEVICE_TYPES: Record<string, number> = {
  'character-device': 0o020000,
  'block-device': 0o060000,
  fifo: 0o010000,
};

/** Extracts `body` into the directory `dest` (a container path) of the container root `root`. */
export async function extractInto(
  body: Readable,
  root: string,
  dest: string,
  options: ExtractOptions,
): Promise<void> {
  const sys = await libc();
  const tar = extract();
  const dirTimes: [string, Date][] = [];
  body.on('error', (err) => tar.destroy(err));
  body.pipe(tar);
  for await (const entry of tar) {
    const { header } = entry;
    const containerPath = entryPath(header.name, dest);
    if (!containerPath) {
      entry.resume();
      continue;
    }
    const target = resolveInRoot(root, containerPath, false);
    const isDir = header.type === 'directory';
    const existing = lstatOrUndefined(target);
    if (existing && !(existing.isDirectory() && isDir)) {
      if (options.noOverwriteDirNonDir && existing.isDirectory() !== isDir) {
        entry.resume();
        throw invalidParameter(
          existing.isDirectory()
            ? `cannot overwrite directory "${containerPath}" with non-directory "${header.name}"`
            : `cannot overwrite non-directory "${containerPath}" with directory "${header.name}"`,
        );
      }
      rmSync(target, { recursive: true, force: true });
    }
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    const mode = (header.mode ?? 0o644) & 0o7777;
    switch (header.type) {
      case 'directory':
        if (!existing) mkdirSync(target, { mode: 0o700 });
        entry.resume();
        break;
      case 'file':
      case 'contiguous-file':
        // O_EXCL: a symlink planted at the target after we resolved it is never followed
        await pipeline(entry, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
        break;
      case 'symlink':
        symlinkSync(header.linkname ?? '', target);
        entry.resume();
        break;
      case 'link': {
        const linked = entryPath(header.linkname ?? '', dest);
        if (!linked) throw invalidParameter(`invalid hardlink "${header.linkname}"`);
        linkSync(resolveInRoot(root, linked, false), target);
        entry.resume();
        break;
      }
      case 'character-device':
      case 'block-device':
      case 'fifo':
        sys.mknod(
          target,
          DEVICE_TYPES[header.type]! | mode,
          makedev(header.devmajor ?? 0, header.devminor ?? 0),
        );
        entry.resume();
        break;
      default:
        // pax and GNU extension headers are consumed by tar-stream; anything else is skipped
        entry.resume();
        continue;
    }
    const owner = options.chown ?? { uid: header.uid ?? 0, gid: header.gid ?? 0 };
    lchownSync(target, owner.uid, owner.gid);
    if (header.type !== 'symlink') chmodSync(target, mode);
    const mtime = header.mtime ?? new Date();
    if (isDir) dirTimes.push([target, mtime]);
    else lutimesSync(target, mtime, mtime);
  }
  // A directory's time is set last: extracting its children changed it.
  for (const [dir, mtime] of dirTimes.reverse()) lutimesSync(dir, mtime, mtime);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
