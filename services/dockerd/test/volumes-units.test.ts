// Docker's mount and volume rules that need no kernel: Binds and Mounts parsing with Docker's
// messages, tmpfs options, OCI mounts order, path resolution inside a root, the archive stat
// header, the local volume store, and mount(8) options.
import {
  chmodSync,
  existsSync,
  readFileSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerdConnection } from '../src/containerd/connection';
import { entryPath, goFileMode, statContainerPath } from '../src/containers/archive';
import { cleanScratch } from '../src/containers/container-fs';
import { mergeImageConfig } from '../src/containers/manager';
import { copyTree } from '../src/containers/copy-tree';
import { TaskFreezer } from '../src/containers/freezer';
import {
  mergeTmpfsOptions,
  mountRequest,
  parseBind,
  parseMounts,
  specMounts,
  tmpfsData,
  validMode,
} from '../src/containers/mounts';
import { resolveInRoot } from '../src/containers/resolve-in-root';
import { libc } from '../src/system/libc';
import { isMountPoint, mountWithOptions } from '../src/system/mount';
import { validateLocalOptions } from '../src/volumes/local-options';
import { ANONYMOUS_LABEL, VolumeStore } from '../src/volumes/store';

const exists = (paths: string[]) => (p: string) => paths.includes(p);

describe('Binds and Mounts', () => {
  it('parses Binds as Docker does: host paths are binds, names are volumes', () => {
    expect(parseBind('/host:/c:ro,rshared')).toMatchObject({
      Type: 'bind',
      Source: '/host',
      Destination: '/c',
      RW: false,
      Mode: 'ro,rshared',
      Propagation: 'rshared',
      CreateSource: true,
    });
    expect(parseBind('/host/../x/:/c/')).toMatchObject({ Source: '/x', Destination: '/c' });
    expect(parseBind('data:/d:nocopy')).toMatchObject({
      Type: 'volume',
      Name: 'data',
      Mode: 'nocopy',
      CopyData: false,
      Named: true,
    });
    expect(parseBind('data:/d')).toMatchObject({ Mode: 'z', CopyData: true, RW: true });
  });

  it("refuses malformed Binds with Docker's messages", () => {
    expect(() => parseBind('/only')).toThrow("invalid volume specification: '/only'");
    expect(() => parseBind('/a:/b:/c:/d')).toThrow("invalid volume specification: '/a:/b:/c:/d'");
    expect(() => parseBind('/a:ro')).toThrow("invalid volume specification: '/a:ro'");
    expect(() => parseBind('/a:/b:rw,ro')).toThrow('invalid mode: rw,ro');
    expect(() => parseBind('/a:/b:bogus')).toThrow('invalid mode: bogus');
    expect(() => parseBind('/a:rel')).toThrow(
      `invalid volume specification: '/a:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`,
    );
    expect(() => parseBind('/a:/')).toThrow("destination can't be '/'");
    expect(validMode('ro,z,rprivate,nocopy,cached')).toBe(true);
    expect(validMode('z,Z')).toBe(false);
  });

  it('validates Mounts as parseMountSpec does, with the bind source checked', () => {
    expect(() =>
      parseMounts({ Mounts: [{ Type: 'bind', Source: '/nope', Target: '/x' }] }, exists([])),
    ).toThrow('invalid mount config for type "bind": bind source path does not exist: /nope');
    expect(() =>
      parseMounts(
        {
          Mounts: [
            {
              Type: 'bind',
              Source: '/nope',
              Target: '/x',
              BindOptions: { CreateMountpoint: true },
            },
          ],
        },
        exists([]),
      ),
    ).not.toThrow();
    const cases: [object, string][] = [
      [
        { Type: 'bind', Target: '/x' },
        'invalid mount config for type "bind": field Source must not be empty',
      ],
      [
        { Type: 'volume', Source: 'v' },
        'invalid mount config for type "volume": field Target must not be empty',
      ],
      [
        { Type: 'tmpfs', Source: 's', Target: '/t' },
        'invalid mount config for type "tmpfs": field Source must not be specified',
      ],
      [
        { Type: 'volume', Target: '/t', BindOptions: {} },
        'field BindOptions must not be specified',
      ],
      [
        { Type: 'volume', Target: '/t', ReadOnly: true },
        'must not set ReadOnly mode when using anonymous volumes',
      ],
      [
        { Type: 'bind', Source: '/h', Target: '/t', BindOptions: { Propagation: 'odd' } },
        'invalid propagation mode: odd',
      ],
      [
        { Type: 'npipe', Target: '/t' },
        'invalid mount config for type "npipe": mount type unknown',
      ],
      [{ Type: 'tmpfs', Target: 'rel' }, "invalid mount path: 'rel' mount path must be absolute"],
    ];
    for (const [spec, message] of cases) {
      expect(() => parseMounts({ Mounts: [spec] }, exists(['/h'])), message).toThrow(message);
    }
  });

  it('orders precedence: Binds, then Mounts (no duplicates), then anonymous volumes', () => {
    const points = parseMounts(
      mountRequest(
        {
          Binds: ['/h:/data'],
          Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1 << 20 } }],
        },
        mergeImageConfig({ Volumes: { '/data': {} } }, { Volumes: { '/cache': {} } }).Volumes,
      ),
      exists(['/h']),
    );
    expect(points.map((p) => [p.Type, p.Destination, p.Named])).toEqual([
      ['bind', '/data', true],
      ['tmpfs', '/t', false],
      ['volume', '/cache', false],
    ]);
    expect(() =>
      parseMounts({ Binds: ['/h:/x'], Mounts: [{ Type: 'tmpfs', Target: '/x' }] }, exists(['/h'])),
    ).toThrow('Duplicate mount point: /x');
    expect(() => parseMounts({ Binds: ['/h:/x'], Tmpfs: { '/x/': '' } }, exists(['/h']))).toThrow(
      'Duplicate mount point: /x',
    );
    expect(() => parseMounts({ Tmpfs: { run: '' } }, exists([]))).toThrow(
      "invalid mount path: 'run' mount path must be absolute",
    );
  });

  it('converts tmpfs options and builds OCI mounts parents first', () => {
    expect(tmpfsData({ SizeBytes: 3 * 2 ** 30, Mode: 0o1770 }, true)).toBe('ro,mode=1770,size=3g');
    expect(tmpfsData({ SizeBytes: 1000, Options: [['exec']] }, false)).toBe('size=1000,exec');
    expect(() => tmpfsData({ Options: [['suid']] }, false)).toThrow('invalid option: suid');
    expect(mergeTmpfsOptions(['noexec', 'nosuid', 'size=1k', 'exec', 'size=2k'])).toEqual([
      'nosuid',
      'exec',
      'size=2k',
    ]);
    const points = parseMounts({ Binds: ['/h/a:/a/b/c:ro', '/h/b:/a'] }, exists([])).map((p) => ({
      ...p,
      Source: p.Source,
    }));
    const mounts = specMounts(points, { '/a/b': 'size=64k' });
    expect(mounts.map((m) => m.destination)).toEqual(['/a', '/a/b', '/a/b/c']);
    expect(mounts[2]).toEqual({
      destination: '/a/b/c',
      type: 'bind',
      source: '/h/a',
      options: ['rbind', 'rprivate', 'ro'],
    });
    expect(mounts[1]!.options).toEqual(['noexec', 'nosuid', 'nodev', 'rprivate', 'size=64k']);
  });
});

describe('paths inside a container root', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-root-'));
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
    symlinkSync('/', join(root, 'abs'));
    symlinkSync('../../../../..', join(root, 'etc', 'up'));
    symlinkSync('/etc/passwd', join(root, 'pw'));
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('never leaves the root through symlinks or ..', () => {
    expect(resolveInRoot(root, '/abs/etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(resolveInRoot(root, '/etc/up/etc/up/tmp')).toBe(join(root, 'tmp'));
    expect(resolveInRoot(root, '../../../etc/./passwd')).toBe(join(root, 'etc/passwd'));
    expect(resolveInRoot(root, '/pw')).toBe(join(root, 'etc/passwd'));
    expect(resolveInRoot(root, '/pw', false)).toBe(join(root, 'pw'));
    expect(resolveInRoot(root, '/missing/../etc')).toBe(join(root, 'etc'));
    expect(() => resolveInRoot(root, '/loop1')).toThrow(/too many symlinks/);
  });

  it('stats as the archive header does: Go file modes and the resolved link target', () => {
    const stat = statContainerPath(root, '/pw', 'c');
    expect(stat).toMatchObject({ name: 'pw', linkTarget: '/etc/passwd' });
    expect(stat.mode).toBe(2 ** 27 + 0o777);
    expect(statContainerPath(root, '/etc/', 'c').mode).toBe(
      2 ** 31 + (lstatSync(join(root, 'etc')).mode & 0o777),
    );
    expect(() => statContainerPath(root, '/nope', 'web')).toThrow(
      'Could not find the file /nope in container web',
    );
    expect(
      goFileMode(Object.assign(lstatSync(join(root, 'etc', 'passwd')), { mode: 0o104755 })),
    ).toBe(2 ** 23 + 0o755);
  });

  it("refuses tar entries outside the destination with Docker's breakout error", () => {
    expect(entryPath('./a/b', '/dst')).toBe('/dst/a/b');
    expect(entryPath('/abs/x/', '/dst')).toBe('/dst/abs/x');
    expect(entryPath('./', '/dst')).toBeUndefined();
    expect(() => entryPath('a/../../x', '/dst')).toThrow('"a/../../x" is outside of "/dst"');
  });
});

describe('local volumes', () => {
  let root: string;
  let users: Record<string, string[]>;
  let store: VolumeStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-volumes-'));
    users = {};
    store = new VolumeStore(root, (name) => users[name] ?? []);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates idempotently, names anonymous volumes, refuses removal while in use', async () => {
    const v = store.create({ Name: 'data', Labels: { a: 'b' } });
    expect(store.create({ Name: 'data' })).toEqual(v);
    expect(lstatSync(store.dataPath('data')).isDirectory()).toBe(true);
    const anonymous = store.create({});
    expect(anonymous.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(anonymous.Labels).toEqual({ [ANONYMOUS_LABEL]: '' });
    expect(
      store
        .list()
        .map((x) => x.Name)
        .sort(),
    ).toEqual([anonymous.Name, 'data'].sort());
    users.data = ['c1', 'c2'];
    await expect(store.remove('data')).rejects.toThrow('remove data: volume is in use - [c1, c2]');
    users.data = [];
    await store.remove('data');
    await expect(store.remove('data')).rejects.toThrow('get data: no such volume');
    await store.remove('data', { force: true });
    expect(() => store.create({ Name: 'x' })).toThrow('volume name is too short');
    expect(() => store.create({ Name: '../x' })).toThrow('includes invalid characters');
    expect(() => store.create({ Name: 'n', Driver: 'nfs' })).toThrow('plugin "nfs" not found');
    // nothing half-made is left behind by a refused create
    expect(store.list().map((x) => x.Name)).toEqual([anonymous.Name]);
  });

  it("validates the local driver's options", () => {
    expect(() =>
      validateLocalOptions({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' }),
    ).not.toThrow();
    expect(() => validateLocalOptions({ colour: 'x' })).toThrow('invalid option: "colour"');
    expect(() => validateLocalOptions({ type: 'tmpfs' })).toThrow(
      'missing required option: "device"',
    );
    expect(() => validateLocalOptions({ o: 'bind', device: '/x' })).toThrow(
      'missing required option: "type"',
    );
  });
});

describe('mountinfo', () => {
  it('reads mount points from mountinfo, unescaping spaces', () => {
    const info = '36 35 98:0 / /mnt/with\\040space rw - ext3 /dev/root rw\n';
    expect(isMountPoint('/mnt/with space', info)).toBe(true);
    expect(isMountPoint('/mnt', info)).toBe(false);
  });
});

describe('copy-up and scratch mounts', { tags: ['kernel'] }, () => {
  it('unmounts what a crashed request left in the scratch directory', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'berth-scratch-'));
    try {
      const root = join(scratch, 'rootfs-1');
      mkdirSync(root);
      await mountWithOptions('tmpfs', root, 'tmpfs', ['size=1m']);
      mkdirSync(join(root, 'sub'));
      await mountWithOptions('tmpfs', join(root, 'sub'), 'tmpfs', ['size=1m']);
      await cleanScratch(scratch);
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(scratch);
      expect(existsSync(root)).toBe(false);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('keeps owners, modes, times, xattrs, hard links, symlinks and fifos', async () => {
    const sys = await libc();
    const base = mkdtempSync(join(tmpdir(), 'berth-copy-'));
    try {
      const src = join(base, 'src');
      const dst = join(base, 'dst');
      mkdirSync(join(src, 'sub'), { recursive: true });
      mkdirSync(dst);
      writeFileSync(join(src, 'sub', 'suid'), 'x');
      chownSync(join(src, 'sub', 'suid'), 1234, 5678);
      chmodSync(join(src, 'sub', 'suid'), 0o4750);
      sys.setXattr(join(src, 'sub', 'suid'), 'user.berth', Buffer.from('kept'));
      linkSync(join(src, 'sub', 'suid'), join(src, 'hard'));
      symlinkSync('/etc/passwd', join(src, 'link'));
      sys.mknod(join(src, 'fifo'), 0o010644, 0);
      chmodSync(src, 0o1777);
      utimesSync(join(src, 'sub'), 1_000_000, 1_000_000);
      await copyTree(src, dst);
      const copied = lstatSync(join(dst, 'sub', 'suid'));
      expect([copied.uid, copied.gid, copied.mode & 0o7777]).toEqual([1234, 5678, 0o4750]);
      expect(sys.getXattr(join(dst, 'sub', 'suid'), 'user.berth')?.toString()).toBe('kept');
      expect(lstatSync(join(dst, 'hard')).ino).toBe(copied.ino);
      expect(readlinkSync(join(dst, 'link'))).toBe('/etc/passwd');
      expect(lstatSync(join(dst, 'fifo')).isFIFO()).toBe(true);
      expect(lstatSync(dst).mode & 0o7777).toBe(0o1777);
      expect(lstatSync(join(dst, 'sub')).mtimeMs).toBe(1_000_000_000);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('freezing a container during docker cp', () => {
  it('pauses once for concurrent holds and resumes after the last one', async () => {
    const calls: string[] = [];
    const connection = {
      call: async (_service: string, method: string) => {
        calls.push(method);
        await new Promise((r) => setTimeout(r, 5));
        return {};
      },
    } as unknown as ContainerdConnection;
    const freezer = new TaskFreezer(connection);
    const [a, b] = await Promise.all([freezer.hold('c'), freezer.hold('c')]);
    expect(calls).toEqual(['Pause']);
    await a();
    await a();
    expect(calls).toEqual(['Pause']);
    await b();
    expect(calls).toEqual(['Pause', 'Resume']);
    const failing = {
      call: async (_s: string, method: string) => {
        calls.push(method);
        if (method === 'Pause') throw new Error('not running');
        return {};
      },
    } as unknown as ContainerdConnection;
    await expect(new TaskFreezer(failing).hold('d')).rejects.toThrow('not running');
  });
});
