import { loadGrpcPackage } from '@berth/proto';
import { credentials, Metadata } from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetOf } from '../src/core/diff/service';
import type { Mount } from '../src/core/snapshots/overlay/overlay';
import { mknod } from '../src/core/sys/syscalls';
import { startDaemon, tempDir } from './helpers';
import { describeTree } from './tree';

const run = promisify(execFile);

// ctr's lease ending triggers garbage collection: keep the test's snapshots rooted.
const ROOT = { 'containerd.io/gc.root': 'test' };

interface MountMsg {
  type: string;
  source: string;
  options: string[];
}
interface DescriptorMsg {
  media_type: string;
  digest: string;
  size: string | number;
}
type Call<Req, Res> = (req: Req, md: Metadata, cb: (err: Error | null, res: Res) => void) => void;

const promised =
  <Req, Res>(client: Record<string, unknown>, method: string, md: Metadata) =>
  (req: Req): Promise<Res> =>
    new Promise((resolve, reject) =>
      (client[method] as Call<Req, Res>).call(client, req, md, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );

/** Entries of a tar as `name type [content]`, in archive order. */
async function entriesOf(tar: Buffer): Promise<string[]> {
  const out: string[] = [];
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      out.push([header.name, header.type, body].filter(Boolean).join(' '));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) =>
    ex.on('finish', () => resolve()).on('error', reject),
  );
  ex.end(tar);
  await done;
  return out;
}

const write = (root: string, files: Record<string, string>): void => {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  }
};

/** Files with whole-second times, which the walking differ compares by content. */
const truncatedTimes = (root: string, paths: string[]): void => {
  for (const p of paths) utimesSync(join(root, p), 1_600_000_000, 1_600_000_000);
};

// Diff.Diff between snapshots that do not share a parent: both trees are walked and compared.
describe('Diff.Diff between unrelated snapshots', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let daemon: Awaited<ReturnType<typeof startDaemon>>;
  let snapshots: Record<string, unknown>;
  let diff: Record<string, unknown>;
  const md = new Metadata();
  md.set('containerd-namespace', 'default');
  const snap = <Req, Res>(method: string) => promised<Req, Res>(snapshots, method, md);

  const prepare = async (key: string, parent: string): Promise<MountMsg[]> =>
    (
      await snap<object, { mounts: MountMsg[] }>('Prepare')({
        snapshotter: 'overlayfs',
        key,
        parent,
        labels: ROOT,
      })
    ).mounts;
  const commit = (key: string, name: string) =>
    snap<object, object>('Commit')({ snapshotter: 'overlayfs', key, name, labels: ROOT });
  const upperOf = (mounts: MountMsg[]) => targetOf(mounts as Mount[]).upper;

  /** Mounts `mounts` read-only for the test body; overlay needs a real mount to show a tree. */
  const withMounted = async <T>(mounts: MountMsg[], fn: (root: string) => Promise<T>) => {
    const m = mounts[0];
    if (!m) throw new Error('no mount');
    const target = join(dir.path, `mnt-${Math.random().toString(36).slice(2)}`);
    mkdirSync(target);
    await run('mount', ['-t', m.type, '-o', ['ro', ...m.options].join(','), m.source, target]);
    try {
      return await fn(target);
    } finally {
      await run('umount', [target]);
    }
  };

  beforeAll(async () => {
    dir = await tempDir('diff-trees');
    daemon = await startDaemon(join(dir.path, 'd'));
    const pkg = await loadGrpcPackage();
    const target = `unix://${daemon.address}`;
    snapshots = new pkg.containerd.services.snapshots.v1.Snapshots(
      target,
      credentials.createInsecure(),
    ) as unknown as Record<string, unknown>;
    diff = new pkg.containerd.services.diff.v1.Diff(
      target,
      credentials.createInsecure(),
    ) as unknown as Record<string, unknown>;
  });
  afterAll(async () => {
    await daemon?.close();
    await dir?.remove();
  });

  it('writes whiteouts, changed entries and their parents, and applies back to the upper tree', async () => {
    // Lower L: two layers, l0 then l1.
    const l0 = upperOf(await prepare('l0-active', ''));
    write(l0, {
      a: 'alpha',
      'd/x': 'x',
      'd2/y': 'y',
      'd2/z': 'z',
      'e/f/g': 'g',
      keep: 'same',
      'same-time': 'one!',
    });
    truncatedTimes(l0, ['keep', 'same-time', 'd2/z']);
    await commit('l0-active', 'l0');
    write(upperOf(await prepare('l1-active', 'l0')), { b: 'bravo' });
    await commit('l1-active', 'L');

    // Upper V: an active snapshot over an unrelated committed parent p.
    const p = upperOf(await prepare('p-active', ''));
    write(p, {
      a: 'alpha',
      b: 'BRAVO!',
      'd/x': 'x',
      'd2/z': 'z',
      'e/f/g': 'G2',
      keep: 'same',
      'same-time': 'two!',
    });
    truncatedTimes(p, ['keep', 'same-time', 'd2/z']);
    await commit('p-active', 'p');
    const vMounts = await prepare('v', 'p');
    const v = upperOf(vMounts);
    mknod(join(v, 'a'), constants.S_IFCHR, 0, 0);
    write(v, { c: 'charlie', d: 'now a file' });

    const lowerMounts = (
      await snap<object, { mounts: MountMsg[] }>('View')({
        snapshotter: 'overlayfs',
        key: 'l-view',
        parent: 'L',
        labels: ROOT,
      })
    ).mounts;
    const { diff: desc } = await promised<object, { diff: DescriptorMsg }>(
      diff,
      'Diff',
      md,
    )({ left: lowerMounts, right: vMounts, media_type: '', ref: 'trees', labels: { t: 'x' } });
    expect(desc.media_type).toBe('application/vnd.oci.image.layer.v1.tar+gzip');

    const blob = readFileSync(daemon.core.content.blobs.blobPath(desc.digest));
    const tar = gunzipSync(blob);
    const info = daemon.core.content.info({ namespace: 'default' }, desc.digest);
    expect(info.labels).toEqual({
      t: 'x',
      'containerd.io/uncompressed': `sha256:${createHash('sha256').update(tar).digest('hex')}`,
    });
    expect(await entriesOf(tar)).toEqual([
      '.wh.a file',
      'b file BRAVO!',
      'c file charlie',
      'd file now a file',
      'd2 directory',
      'd2/.wh.y file',
      'e directory',
      'e/f directory',
      'e/f/g file G2',
      'same-time file two!',
    ]);

    const copyMounts = await prepare('copy', 'L');
    await promised<object, object>(diff, 'Apply', md)({ diff: desc, mounts: copyMounts });
    // Layer tars keep whole-second times (ustar), as the fast path's do.
    const tree = (mounts: MountMsg[]) =>
      withMounted(mounts, async (root) =>
        (await describeTree(root, { dirTimes: false })).map((l) =>
          l.replace(/ (\d+)(\.\d+)?$/, (_, ms: string) => ` ${Math.floor(Number(ms) / 1000)}`),
        ),
      );
    expect(await tree(copyMounts)).toEqual(await tree(vMounts));

    // Upstream ctr (Compare of `L`'s view as lower, active `v` as upper) gets the same layer;
    // last, as ending its lease collects unrooted content.
    const { stdout } = await run(
      'ctr',
      ['--address', daemon.address, 'snapshots', 'diff', 'L', 'v'],
      { encoding: 'buffer', maxBuffer: 1 << 20 },
    );
    expect(gunzipSync(stdout)).toEqual(tar);
  });
});
