// The content model of a layer: one entry per tar member, in tar order. Paths are relative
// to the layer root ("bin/sh", never "/bin/sh") unless an escaping fixture means otherwise.

/** File body either in memory or produced on demand as a stream of exactly `size` bytes. */
export type FileBody = Buffer | { size: number; open: () => AsyncIterable<Buffer> };

interface Common {
  path: string;
  /** Permission bits including setuid/setgid/sticky (the tar mode field, masked to 07777). */
  mode: number;
  uid?: number;
  gid?: number;
  /** Extended attributes, written as PAX `SCHILY.xattr.<name>` records. */
  xattrs?: Record<string, Buffer>;
}

export type LayerEntry =
  | (Common & { type: 'directory' })
  | (Common & { type: 'file'; body: FileBody })
  | (Common & { type: 'symlink'; target: string })
  | (Common & { type: 'link'; target: string })
  | (Common & { type: 'character-device' | 'block-device'; major: number; minor: number })
  | (Common & { type: 'fifo' });

export type EntrySource = Iterable<LayerEntry> | AsyncIterable<LayerEntry>;

type Owner = Pick<Common, 'uid' | 'gid' | 'xattrs'>;

export const dir = (path: string, mode = 0o755, owner: Owner = {}): LayerEntry => ({
  type: 'directory',
  path,
  mode,
  ...owner,
});

export const file = (
  path: string,
  body: FileBody | string,
  mode = 0o644,
  owner: Owner = {},
): LayerEntry => ({
  type: 'file',
  path,
  body: typeof body === 'string' ? Buffer.from(body) : body,
  mode,
  ...owner,
});

export const symlink = (path: string, target: string, owner: Owner = {}): LayerEntry => ({
  type: 'symlink',
  path,
  target,
  mode: 0o777,
  ...owner,
});

/** A hardlink; `target` is the tar path of an earlier member (or, in escaping fixtures, not). */
export const hardlink = (path: string, target: string): LayerEntry => ({
  type: 'link',
  path,
  target,
  mode: 0o644,
});

export const device = (
  path: string,
  kind: 'character-device' | 'block-device',
  major: number,
  minor: number,
  mode = 0o600,
): LayerEntry => ({ type: kind, path, major, minor, mode });

export const fifo = (path: string, mode = 0o644): LayerEntry => ({ type: 'fifo', path, mode });

/** OCI/AUFS whiteout: an empty file `.wh.<name>` hides `<name>` from lower layers. */
export function whiteout(path: string): LayerEntry {
  const slash = path.lastIndexOf('/');
  return file(`${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`, Buffer.alloc(0));
}

/** Opaque marker: hides everything lower layers put in `dirPath`. */
export const opaque = (dirPath: string): LayerEntry =>
  file(`${dirPath}/.wh..wh..opq`, Buffer.alloc(0));
