import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { lgetxattr } from '../src/core/sys/syscalls';

/** Attributes tests compare between two unpacked trees. */
export const XATTRS = [
  'user.berth.test',
  'user.berth.other',
  'user.berth.dir',
  'security.capability',
  'trusted.overlay.opaque',
];

/** One line per entry: type, mode, owner, size, link count, rdev, content or link digest, xattrs, mtime. */
export async function describeTree(root: string, opts: { dirTimes: boolean }): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const path = join(root, rel);
    const st = await lstat(path);
    const type = st.isDirectory()
      ? 'd'
      : st.isFile()
        ? 'f'
        : st.isSymbolicLink()
          ? 'l'
          : st.isCharacterDevice()
            ? 'c'
            : st.isBlockDevice()
              ? 'b'
              : 'p';
    let body = '';
    if (st.isFile())
      body = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    if (st.isSymbolicLink()) body = await readlink(path);
    const xattrs = XATTRS.map((n) => {
      const v = lgetxattr(path, n);
      return v ? `${n}=${v.toString('hex')}` : '';
    }).filter(Boolean);
    const mtime = type === 'd' && !opts.dirTimes ? '' : String(st.mtimeMs);
    const size = type === 'd' ? '' : String(st.size);
    const nlink = type === 'd' ? '' : String(st.nlink);
    out.push(
      [
        rel || '.',
        type,
        (st.mode & 0o7777).toString(8),
        st.uid,
        st.gid,
        size,
        nlink,
        st.rdev,
        body,
        xattrs.join(','),
        mtime,
      ].join(' '),
    );
    if (st.isDirectory())
      for (const name of (await readdir(path)).sort()) await walk(rel ? `${rel}/${name}` : name);
  };
  await walk('');
  return out;
}
