import { createReadStream, readlinkSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { pack, type Header } from 'tar-stream';

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

const EMPTY = Buffer.alloc(0);

function typeOf(st: Stats): Header['type'] {
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  return 'file';
}

/** `.wh.<name>` beside `path`: the OCI layer form of a deletion. */
const whiteoutName = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`;
};

/**
 * An OCI layer tar being written entry by entry. Files sharing an inode within the layer
 * are written once and then as hard links to the first path.
 */
export class LayerTar {
  private readonly tar = pack();
  private readonly links = new Map<string, string>();

  /** The tar stream, ended once `writing` settles (destroyed if it fails). */
  stream(writing: Promise<void>): Readable {
    writing.then(
      () => this.tar.finalize(),
      (err: unknown) => this.tar.destroy(err as Error),
    );
    return this.tar as unknown as Readable;
  }

  /** The entry at `path` of the layer, read from `abs`. */
  async add(path: string, abs: string, st: Stats): Promise<void> {
    const header: EntryHeader = {
      name: path,
      type: typeOf(st),
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      mtime: st.mtime,
    };
    const inode = `${st.dev}:${st.ino}`;
    const first = st.isFile() && st.nlink > 1 ? this.links.get(inode) : undefined;
    if (first !== undefined) return this.entry({ ...header, type: 'link', linkname: first });
    if (st.isFile() && st.nlink > 1) this.links.set(inode, path);
    if (st.isSymbolicLink()) header.linkname = readlinkSync(abs);
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      header.devmajor = Math.floor(st.rdev / 256) & 0xfff;
      header.devminor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
    }
    if (st.isFile()) return this.file({ ...header, size: st.size }, abs);
    return this.entry(header);
  }

  /** Records that `path` was deleted. */
  whiteout(path: string, mtime: Date): Promise<void> {
    return this.entry({ name: whiteoutName(path), mtime });
  }

  /** Records that directory `path` hides everything below it in lower layers. */
  opaque(path: string, mtime: Date): Promise<void> {
    return this.entry({ name: `${path}/.wh..wh..opq`, mtime });
  }

  /** An entry without a body: empty whiteout files, directories, links and devices. */
  private entry(header: EntryHeader): Promise<void> {
    return new Promise((resolve, reject) =>
      this.tar.entry(header, EMPTY, (err) => (err ? reject(err) : resolve())),
    );
  }

  private file(header: EntryHeader, path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const sink = this.tar.entry(header, (err) => (err ? reject(err) : resolve()));
      const src = createReadStream(path);
      src.on('error', reject);
      src.pipe(sink as unknown as NodeJS.WritableStream);
    });
  }
}
