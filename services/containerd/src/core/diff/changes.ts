import { readdirSync, readlinkSync, lstatSync, createReadStream, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pack, type Header } from 'tar-stream';

type EntryHeader = Partial<Header> & Pick<Header, 'name'>;
import { lgetxattr } from '../sys/syscalls';

const OPAQUE_XATTR = 'trusted.overlay.opaque';

const isWhiteout = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

function typeOf(st: Stats): Header['type'] {
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  return 'file';
}

/**
 * The tar of an overlay upper directory's changes against its lowers, in OCI layer form:
 * overlay whiteouts (char 0:0) become `.wh.<name>` entries and opaque directories get a
 * `.wh..wh..opq` entry; hard links inside the layer stay hard links. Entries are sorted
 * so that the same tree always yields the same tar.
 */
export function changesTar(upper: string): Readable {
  const tar = pack();
  const seen = new Map<string, string>();
  const emit = async (rel: string): Promise<void> => {
    for (const name of readdirSync(join(upper, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(upper, path);
      const st = lstatSync(abs);
      if (isWhiteout(st)) {
        await entry(tar, { name: rel ? `${rel}/.wh.${name}` : `.wh.${name}`, mtime: st.mtime });
        continue;
      }
      const header: EntryHeader = {
        name: path,
        type: typeOf(st),
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: st.mtime,
      };
      const inode = `${st.dev}:${st.ino}`;
      const first = st.isFile() && st.nlink > 1 ? seen.get(inode) : undefined;
      if (first !== undefined) {
        await entry(tar, { ...header, type: 'link', linkname: first });
        continue;
      }
      if (st.isFile() && st.nlink > 1) seen.set(inode, path);
      if (st.isSymbolicLink()) header.linkname = readlinkSync(abs);
      if (st.isCharacterDevice() || st.isBlockDevice()) {
        header.devmajor = Math.floor(st.rdev / 256) & 0xfff;
        header.devminor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
      }
      if (st.isFile()) {
        await fileEntry(tar, { ...header, size: st.size }, abs);
      } else {
        await entry(tar, header);
      }
      if (st.isDirectory()) {
        if (lgetxattr(abs, OPAQUE_XATTR)?.toString() === 'y') {
          await entry(tar, { name: `${path}/.wh..wh..opq`, mtime: st.mtime });
        }
        await emit(path);
      }
    }
  };
  emit('').then(
    () => tar.finalize(),
    (err: unknown) => tar.destroy(err as Error),
  );
  return tar as unknown as Readable;
}

/** An entry without a body: empty whiteout files, directories, links and devices. */
function entry(tar: ReturnType<typeof pack>, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) =>
    tar.entry(header, EMPTY, (err) => (err ? reject(err) : resolve())),
  );
}

const EMPTY = Buffer.alloc(0);

function fileEntry(tar: ReturnType<typeof pack>, header: EntryHeader, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const sink = tar.entry(header, (err) => (err ? reject(err) : resolve()));
    const src = createReadStream(path);
    src.on('error', reject);
    src.pipe(sink as unknown as NodeJS.WritableStream);
  });
}
