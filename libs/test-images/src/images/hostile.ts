import {
  device,
  dir,
  fifo,
  file,
  hardlink,
  opaque,
  symlink,
  whiteout,
  type LayerEntry,
} from '../layer/entries';
import { BASE_LAYER } from './base';
import type { ImageSpec } from './spec';

/** Deep enough that neither the ustar name (100) nor prefix (155) fields can hold it. */
export const HOSTILE_LONG_PATH = `hostile/long/${'a'.repeat(120)}/${'b'.repeat(150)}.txt`;
export const HOSTILE_LONG_LINK_TARGET = `/${'target/'.repeat(20)}end`;

/**
 * vfs_cap_data revision 2 granting CAP_NET_BIND_SERVICE (bit 10) permitted + effective:
 * magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE, then {permitted, inheritable} x 2.
 */
export const NET_BIND_SERVICE_CAPABILITY = (() => {
  const data = Buffer.alloc(20);
  data.writeUInt32LE(0x02000000 | 0x1, 0);
  data.writeUInt32LE(1 << 10, 4);
  return data;
})();

function* hostileContent(): Iterable<LayerEntry> {
  yield dir('hostile');
  // Mode bits that unpackers tend to drop or must drop when unprivileged.
  yield file('hostile/setuid', '#!/bin/sh\nid\n', 0o4755);
  yield file('hostile/setgid', '#!/bin/sh\nid\n', 0o2755);
  yield dir('hostile/setgid-dir', 0o2775, { gid: 100 });
  yield dir('hostile/sticky-dir', 0o1777);
  // Owners that exist nowhere in /etc/passwd, including one from a typical userns range.
  yield file('hostile/odd-owner', 'owned by 1234:5678\n', 0o640, { uid: 1234, gid: 5678 });
  yield file('hostile/userns-owner', 'owned by 100000:100000\n', 0o600, {
    uid: 100000,
    gid: 100000,
  });
  // Hardlinks within one directory and across directories.
  yield file('hostile/hardlink-target', 'one inode, three names\n');
  yield hardlink('hostile/hardlink-same-dir', 'hostile/hardlink-target');
  yield dir('hostile/subdir');
  yield hardlink('hostile/subdir/hardlink-other-dir', 'hostile/hardlink-target');
  // Symlinks that are absolute, relative, dangling, to a directory, and too long for ustar.
  yield symlink('hostile/absolute-symlink', '/bin/busybox');
  yield symlink('hostile/relative-symlink', '../bin/busybox');
  yield symlink('hostile/dangling-symlink', '/does/not/exist');
  yield symlink('hostile/directory-symlink', '../etc');
  yield symlink('hostile/long-symlink', HOSTILE_LONG_LINK_TARGET);
  // Special files.
  yield device('hostile/char-null', 'character-device', 1, 3, 0o666);
  yield device('hostile/block-loop0', 'block-device', 7, 0, 0o660);
  yield fifo('hostile/fifo');
  // Extended attributes, in the PAX SCHILY.xattr form Docker and containerd write.
  yield file('hostile/xattr-user', 'carries user xattrs\n', 0o644, {
    xattrs: { 'user.berth.test': Buffer.from('hello'), 'user.berth.other': Buffer.from('x=y') },
  });
  yield dir('hostile/xattr-dir', 0o755, { xattrs: { 'user.berth.dir': Buffer.from('on a dir') } });
  yield file('hostile/capability', '#!/bin/sh\nexit 0\n', 0o755, {
    xattrs: { 'security.capability': NET_BIND_SERVICE_CAPABILITY },
  });
  // Names only PAX can carry: too long, and non-ASCII.
  yield dir('hostile/long');
  yield dir(HOSTILE_LONG_PATH.slice(0, HOSTILE_LONG_PATH.lastIndexOf('/')));
  yield file(HOSTILE_LONG_PATH, 'reached through a PAX path record\n');
  yield file('hostile/unicodé-✓.txt', 'non-ASCII name\n');
  yield file('hostile/name with spaces', 'spaces\n');
  // A file whose parent directories have no entries of their own.
  yield file('hostile/implicit/parent/file.txt', 'parents are implied\n');
  // Sizes at tar block boundaries.
  yield file('hostile/empty', Buffer.alloc(0));
  yield file('hostile/one-block', Buffer.alloc(512, 'x'));
  // Targets for the next layer's whiteouts and type changes.
  yield file('hostile/to-delete', 'whited out by the next layer\n');
  yield dir('hostile/opaque');
  yield file('hostile/opaque/hidden', 'hidden by the opaque marker above\n');
  yield file('hostile/becomes-dir', 'a file that the next layer turns into a directory\n');
  yield dir('hostile/becomes-file');
  yield file('hostile/becomes-file/child', 'goes away with its directory\n');
}

function* hostileOverrides(): Iterable<LayerEntry> {
  yield dir('hostile');
  yield whiteout('hostile/to-delete');
  yield dir('hostile/opaque');
  yield opaque('hostile/opaque');
  yield file('hostile/opaque/visible', 'the only file left in this directory\n');
  // Type changes carry no whiteout: the unpacker must replace the lower entry itself.
  yield dir('hostile/becomes-dir');
  yield file('hostile/becomes-dir/child', 'inside what used to be a file\n');
  yield file('hostile/becomes-file', 'what used to be a directory\n');
  // A metadata-only change: same content, new owner and mode.
  yield file('hostile/odd-owner', 'owned by 1234:5678\n', 0o604, { uid: 4321, gid: 8765 });
  yield file('hostile/hardlink-target-2', 'linked within the upper layer\n');
  yield hardlink('hostile/hardlink-upper', 'hostile/hardlink-target-2');
}

/** Valid but demanding layer content for unpackers (snapshotters, dockerd, runtime rootfs). */
export const HOSTILE_UNPACK: ImageSpec = {
  name: 'hostile-unpack',
  layers: [
    BASE_LAYER,
    {
      id: 'hostile-content',
      description: 'special files, odd modes, owners, xattrs, long names',
      entries: hostileContent,
    },
    {
      id: 'hostile-overrides',
      description: 'whiteout, opaque dir, type changes, chown',
      entries: hostileOverrides,
    },
  ],
};
