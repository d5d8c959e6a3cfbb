import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  write,
  writeSync,
  type Stats,
} from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { extract, type Header } from 'tar-stream';
import { lsetxattr, mknod } from '../sys/syscalls';

/** Where a layer lands: the snapshot's own upper directory and its parents (nearest first). */
export interface ApplyTarget {
  upper: string;
  lowers: string[];
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';
const MAX_SYMLINK_HOPS = 255;

const isWhiteoutDevice = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

// Unpacking is a long run of small metadata syscalls; their synchronous forms avoid a
// thread-pool round trip each, which dominates the cost of many-file layers.
const lstatOrNull = (path: string): Stats | null =>
  lstatSync(path, { throwIfNoEntry: false }) ?? null;

type Found = { path: string; st: Stats } | null;

class UnsafeEntryError extends Error {}

/**
 * Applies one tar layer into an overlay upper directory, converting whiteouts to
 * overlayfs form (char 0:0 devices, trusted.overlay.opaque=y). Every path, including
 * hardlink targets and the parents of every entry, is resolved component by component in
 * the merged view of upper and lowers; symlinks are followed inside the root, and `..`
 * stops at the root, so no entry can be written outside the snapshot.
 */
export class LayerApplier {
  private readonly dirTimes: { path: string; atime: Date; mtime: Date }[] = [];
  /** Lower layers do not change while a layer is applied, so their lookups are cached. */
  private readonly lowerLookups = new Map<string, Found>();
  /** Upper directories known to exist, so each parent chain is checked once. */
  private readonly upperDirs = new Set<string>();

  constructor(private readonly target: ApplyTarget) {}

  /** The entry in the merged view at `rel`, or null if absent or whited out. */
  private lookup(rel: string[]): Found {
    const upperPath = join(this.target.upper, ...rel);
    const st = lstatOrNull(upperPath);
    if (st) return isWhiteoutDevice(st) ? null : { path: upperPath, st };
    const key = rel.join('/');
    let found = this.lowerLookups.get(key);
    if (found === undefined) {
      found = null;
      for (const layer of this.target.lowers) {
        const path = join(layer, ...rel);
        const lst = lstatOrNull(path);
        if (lst) {
          found = isWhiteoutDevice(lst) ? null : { path, st: lst };
          break;
        }
      }
      this.lowerLookups.set(key, found);
    }
    return found;
  }

  /** Removes an upper entry (and forgets cached directories, which it may have held). */
  private remove(path: string): void {
    rmSync(path, { recursive: true, force: true });
    this.upperDirs.clear();
  }

  /** Resolves directory components (following symlinks inside the root) to a real path. */
  private resolveDir(components: string[]): string[] {
    const resolved: string[] = [];
    const queue = [...components];
    let hops = 0;
    while (queue.length > 0) {
      const c = queue.shift() as string;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        resolved.pop();
        continue;
      }
      const found = this.lookup([...resolved, c]);
      if (found?.st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS)
          throw new UnsafeEntryError(`too many symlinks resolving ${components.join('/')}`);
        const dest = readlinkSync(found.path);
        if (dest.startsWith('/')) resolved.length = 0;
        queue.unshift(...dest.split('/'));
        continue;
      }
      resolved.push(c);
    }
    return resolved;
  }

  /** Splits a tar name into its resolved parent and base name; null for the root itself. */
  private resolveEntry(name: string): { parent: string[]; base: string } | null {
    const parts = posix
      .normalize(`/${name}`)
      .split('/')
      .filter((p) => p !== '');
    const base = parts.pop();
    if (base === undefined) return null;
    return { parent: this.resolveDir(parts), base };
  }

  /** Creates the parent chain in the upper directory, copying modes from lower layers. */
  private ensureDir(rel: string[]): string {
    const dir = join(this.target.upper, ...rel);
    if (this.upperDirs.has(dir)) return dir;
    for (let i = 1; i <= rel.length; i++) {
      const sub = rel.slice(0, i);
      const upperPath = join(this.target.upper, ...sub);
      const st = lstatOrNull(upperPath);
      if (st?.isDirectory()) continue;
      if (st && !isWhiteoutDevice(st))
        throw new UnsafeEntryError(`${sub.join('/')}: not a directory`);
      if (st) rmSync(upperPath);
      const lower = this.lookup(sub);
      mkdirSync(upperPath, { mode: 0o755 });
      if (lower?.st.isDirectory()) {
        lchownSync(upperPath, lower.st.uid, lower.st.gid);
        chmodSync(upperPath, lower.st.mode & 0o7777);
      }
    }
    this.upperDirs.add(dir);
    return dir;
  }

  async apply(tar: Readable): Promise<void> {
    const ex = extract();
    tar.on('error', (err) => ex.destroy(err));
    tar.pipe(ex);
    for await (const entry of ex) {
      await this.entry(entry.header, entry as AsyncIterable<Buffer>);
      entry.resume();
    }
    // Directory times last, deepest first, since writing children changes them.
    for (const d of this.dirTimes.reverse()) lutimesSync(d.path, d.atime, d.mtime);
  }

  private async entry(h: Header, body: AsyncIterable<Buffer>): Promise<void> {
    const resolved = this.resolveEntry(h.name);
    if (!resolved) return;
    const { parent, base } = resolved;
    const dir = this.ensureDir(parent);
    if (base === OPAQUE) {
      lsetxattr(dir, 'trusted.overlay.opaque', Buffer.from('y'));
      return;
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      const hidden = base.slice(WHITEOUT_PREFIX.length);
      // aufs metadata (.wh..wh.plnk and friends) has no overlay meaning.
      if (hidden.startsWith(WHITEOUT_PREFIX)) return;
      if (hidden === '' || hidden === '.' || hidden === '..')
        throw new UnsafeEntryError(`invalid whiteout ${h.name}`);
      const path = join(dir, hidden);
      this.remove(path);
      mknod(path, constants.S_IFCHR, 0, 0);
      return;
    }
    const path = join(dir, base);
    const existing = lstatOrNull(path);
    if (existing && !(existing.isDirectory() && h.type === 'directory')) this.remove(path);
    const mode = (h.mode ?? 0o644) & 0o7777;
    switch (h.type) {
      case 'file':
      case 'contiguous-file':
        await writeFile(path, mode, body, h.size ?? 0);
        break;
      case 'directory':
        if (!existing?.isDirectory()) mkdirSync(path, { mode });
        break;
      case 'symlink':
        symlinkSync(h.linkname ?? '', path);
        break;
      case 'link':
        this.hardlink(h.linkname ?? '', path);
        return; // a hard link shares its target's inode and attributes
      case 'character-device':
        mknod(path, constants.S_IFCHR | mode, h.devmajor ?? 0, h.devminor ?? 0);
        break;
      case 'block-device':
        mknod(path, constants.S_IFBLK | mode, h.devmajor ?? 0, h.devminor ?? 0);
        break;
      case 'fifo':
        mknod(path, constants.S_IFIFO | mode);
        break;
      default:
        return; // pax/gnu headers are consumed by the parser; other types are skipped upstream too
    }
    this.attributes(path, h, mode);
  }

  private hardlink(linkname: string, path: string): void {
    const resolved = this.resolveEntry(linkname);
    if (!resolved) throw new UnsafeEntryError(`invalid hardlink to root: ${linkname}`);
    const rel = [...resolved.parent, resolved.base];
    const found = this.lookup(rel);
    if (!found || found.st.isDirectory())
      throw new UnsafeEntryError(`invalid hardlink target ${linkname}`);
    const upperTarget = join(this.target.upper, ...rel);
    if (found.path !== upperTarget) {
      // The target lives in a lower layer: copy it up first, as overlayfs would.
      this.ensureDir(resolved.parent);
      copyFileSync(found.path, upperTarget);
      lchownSync(upperTarget, found.st.uid, found.st.gid);
      chmodSync(upperTarget, found.st.mode & 0o7777);
    }
    linkSync(upperTarget, path);
  }

  private attributes(path: string, h: Header, mode: number): void {
    lchownSync(path, h.uid ?? 0, h.gid ?? 0);
    // chown clears set-id bits, so the mode goes on afterwards; symlinks have no mode.
    if (h.type !== 'symlink') chmodSync(path, mode);
    for (const [key, value] of Object.entries(h.pax ?? {}) as [string, string][]) {
      if (key.startsWith('SCHILY.xattr.'))
        lsetxattr(path, key.slice('SCHILY.xattr.'.length), Buffer.from(value, 'latin1'));
    }
    const mtime = h.mtime ?? new Date(0);
    if (h.type === 'directory') this.dirTimes.push({ path, atime: mtime, mtime });
    else lutimesSync(path, mtime, mtime);
  }
}

/**
 * Files from this size on are written on the thread pool, so that copying a chunk into the
 * page cache overlaps inflating, hashing and parsing the next ones on this thread; smaller
 * files are written synchronously, as a round trip would cost more than their write.
 */
const THREADED_WRITE = 1 << 20;

const writeChunk = promisify(write);

/** Writes an entry's body; O_EXCL because the path was just cleared (never follow a link). */
async function writeFile(
  path: string,
  mode: number,
  body: AsyncIterable<Buffer>,
  size: number,
): Promise<void> {
  const fd = openSync(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    for await (const chunk of body) {
      for (let done = 0; done < chunk.length;) {
        done +=
          size >= THREADED_WRITE
            ? (await writeChunk(fd, chunk, done, chunk.length - done, null)).bytesWritten
            : writeSync(fd, chunk, done);
      }
    }
  } finally {
    closeSync(fd);
  }
}
