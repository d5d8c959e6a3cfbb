import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../src/core/digest';
import { decompressed } from '../src/core/diff/decompress';
import { Core } from '../src/core/containerd';
import { ContainerdError } from '../src/core/errdefs';
import { parseFilters } from '../src/core/filters';
import type { OpContext } from '../src/core/metadata/context';
import { tempDir } from './helpers';

const ns: OpContext = { namespace: 'default' };

async function expectError(
  p: Promise<unknown> | (() => unknown),
  kind: string,
  message: string | RegExp,
) {
  const err = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContainerdError);
  expect((err as ContainerdError).kind).toBe(kind);
  expect((err as Error).message).toMatch(message);
}

describe('filters', () => {
  const fields: Record<string, string> = {
    topic: '/tasks/exit',
    namespace: 'x',
    'labels.a.b': 'v',
  };
  const adapt = (path: string[]) => fields[path.join('.')];

  it('ANDs selectors, ORs filters, and supports !=, ~= and presence', () => {
    expect(parseFilters(['topic=="/tasks/exit"'])(adapt)).toBe(true);
    expect(parseFilters(['topic=="/tasks/exit",namespace==y'])(adapt)).toBe(false);
    expect(parseFilters(['namespace==y', 'namespace==x'])(adapt)).toBe(true);
    expect(parseFilters(['topic~="^/tasks/"'])(adapt)).toBe(true);
    expect(parseFilters(['namespace!=x'])(adapt)).toBe(false);
    expect(parseFilters(['labels."a.b"==v'])(adapt)).toBe(true);
    expect(parseFilters(['labels.missing'])(adapt)).toBe(false);
    expect(parseFilters([])(adapt)).toBe(true);
  });

  it('rejects malformed filters as InvalidArgument', async () => {
    await expectError(
      () => parseFilters(['topic=="unterminated']),
      'InvalidArgument',
      /filters: parse error/,
    );
    await expectError(() => parseFilters(['==x']), 'InvalidArgument', /expected field/);
  });
});

describe('decompression', () => {
  const data = Buffer.from('layer bytes '.repeat(1000));
  const collect = async (r: Readable) => Buffer.concat(await r.toArray());

  it('passes uncompressed data through and decodes gzip', async () => {
    expect(await collect(await decompressed(Readable.from([data])))).toEqual(data);
    expect(await collect(await decompressed(Readable.from([gzipSync(data)])))).toEqual(data);
  });

  it.skipIf(!existsSync('/usr/bin/zstd'))('decodes zstd', async () => {
    const compressed = execFileSync('zstd', ['-c', '-q'], { input: data });
    expect(await collect(await decompressed(Readable.from([compressed])))).toEqual(data);
  });
});

describe('core stores', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: Core;

  beforeEach(async () => {
    dir = await tempDir('core');
    core = new Core({ root: dir.path, gcDelayMs: 1 });
  });
  afterEach(async () => {
    core.close();
    await dir.remove();
  });

  async function put(data: string, labels: Record<string, string> = {}, ctx = ns): Promise<string> {
    const w = await core.content.writer(ctx, `ref-${sha256(data)}`, data.length, sha256(data));
    await w.write(Buffer.from(data));
    try {
      return await w.commit(data.length, sha256(data), labels);
    } finally {
      await w.close();
    }
  }

  it('resumes an interrupted ingest and verifies size and digest at commit', async () => {
    const data = 'hello, content store';
    const w1 = await core.content.writer(ns, 'r1', data.length, sha256(data));
    await w1.write(Buffer.from(data.slice(0, 5)));
    await w1.close();
    expect((await core.content.status(ns, 'r1')).offset).toBe(5);
    const w2 = await core.content.writer(ns, 'r1', data.length, sha256(data));
    expect(w2.status().offset).toBe(5);
    await w2.write(Buffer.from(data.slice(5)));
    await expectError(
      w2.commit(99, '', {}),
      'FailedPrecondition',
      'unexpected commit size 20, expected 99',
    );
    await expectError(
      w2.commit(data.length, sha256('other'), {}),
      'FailedPrecondition',
      `unexpected commit digest ${sha256(data)}, expected ${sha256('other')}`,
    );
    expect(await w2.commit(data.length, sha256(data), { a: 'b' })).toBe(sha256(data));
    await w2.close();
    expect(core.content.info(ns, sha256(data))).toMatchObject({
      size: data.length,
      labels: { a: 'b' },
    });
    await expectError(core.content.status(ns, 'r1'), 'NotFound', 'ref r1: not found');
    await expectError(
      core.content.writer(ns, 'r2', 0, sha256(data)),
      'AlreadyExists',
      `content ${sha256(data)}: already exists`,
    );
  });

  it('locks a ref to one writer and shares blobs between namespaces', async () => {
    const w = await core.content.writer(ns, 'busy', 0, '');
    await expectError(
      core.content.writer(ns, 'busy', 0, ''),
      'Unavailable',
      'ref default/busy locked',
    );
    await w.close();
    const d = await put('shared blob');
    const other = { namespace: 'other' };
    await expectError(
      () => core.content.info(other, d),
      'NotFound',
      `content digest ${d}: not found`,
    );
    await expectError(core.content.writer(other, 'x', 0, d), 'AlreadyExists', /already exists/);
    expect(core.content.info(other, d).size).toBe('shared blob'.length);
  });

  it('updates labels by field path and filters listings', async () => {
    const d = await put('labelled', { keep: '1', drop: '2' });
    core.content.update(ns, { digest: d, labels: { add: '3' } }, ['labels.add', 'labels.drop']);
    expect(core.content.info(ns, d).labels).toEqual({ keep: '1', add: '3' });
    await expectError(
      () => core.content.update(ns, { digest: d, labels: {} }, ['size']),
      'InvalidArgument',
      /cannot update "size"/,
    );
    expect(core.content.list(ns, ['labels.add==3']).map((i) => i.digest)).toEqual([d]);
    expect(core.content.list(ns, ['labels.add==4'])).toEqual([]);
  });

  it('collects content and snapshots no image, container, lease or gc.root reaches', async () => {
    const layer = await put('layer');
    const config = await put('config');
    const orphan = await put('orphan');
    const manifest = await put('manifest', {
      'containerd.io/gc.ref.content.l.0': layer,
      'containerd.io/gc.ref.content.config': config,
    });
    core.images.create(ns, {
      name: 'img',
      labels: {},
      target: {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: manifest,
        size: 8,
        annotations: {},
      },
      createdAt: 0,
      updatedAt: 0,
    });
    core.snapshots.prepare(ns, 'base-active', '', {});
    core.snapshots.commit(ns, 'base', 'base-active', {});
    core.snapshots.prepare(ns, 'child', 'base', {});
    core.snapshots.prepare(ns, 'loose', '', {});
    core.containers.create(ns, {
      id: 'c1',
      labels: {},
      image: 'img',
      runtime: { name: 'io.containerd.runc.v2' },
      spec: {
        typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec',
        value: Buffer.from('{}'),
      },
      snapshotter: 'overlayfs',
      snapshotKey: 'child',
      extensions: {},
      createdAt: 0,
      updatedAt: 0,
    });
    core.leases.create(ns, 'hold', {});
    core.leases.addResource(ns, 'hold', { type: 'content', id: orphan });
    const first = await core.gc.collect();
    expect(first).toMatchObject({ content: 0, snapshots: 1 });
    expect(core.snapshots.list(ns, []).map((s) => s.name)).toEqual(['base', 'child']);

    core.leases.delete(ns, 'hold');
    core.containers.delete(ns, 'c1');
    core.images.delete(ns, 'img');
    const second = await core.gc.collect();
    expect(second).toMatchObject({ content: 4, blobs: 4, snapshots: 2 });
    expect(core.content.list(ns, [])).toEqual([]);
    expect(await core.blobs.exists(layer)).toBe(false);
  });

  it('expires leases labelled gc.expire', async () => {
    const d = await put('leased');
    core.leases.create(ns, 'old', { 'containerd.io/gc.expire': '2000-01-01T00:00:00Z' });
    core.leases.addResource(ns, 'old', { type: 'content', id: d });
    expect(await core.gc.collect()).toMatchObject({ leases: 1, content: 1 });
  });

  it('keeps upstream error shapes for images, containers, snapshots and namespaces', async () => {
    await expectError(() => core.images.get(ns, 'nope'), 'NotFound', 'image "nope": not found');
    await expectError(
      () =>
        core.images.create(ns, {
          name: 'x',
          labels: {},
          target: { mediaType: 'm', digest: 'bad', size: 0, annotations: {} },
          createdAt: 0,
          updatedAt: 0,
        }),
      'InvalidArgument',
      /Target.Digest "bad" invalid/,
    );
    await expectError(() => core.containers.get(ns, 'c'), 'NotFound', 'container "c": not found');
    await expectError(
      () => core.snapshots.prepare(ns, 'k', 'missing', {}),
      'NotFound',
      'parent snapshot missing does not exist: not found',
    );
    core.snapshots.prepare(ns, 'a', '', {});
    await expectError(
      () => core.snapshots.prepare(ns, 'b', 'a', {}),
      'FailedPrecondition',
      'parent "a" is not committed snapshot',
    );
    await expectError(
      () => core.snapshots.prepare(ns, 'a', '', {}),
      'AlreadyExists',
      'snapshot "a": already exists',
    );
    await expectError(
      () => core.namespaces.delete('default'),
      'FailedPrecondition',
      'namespace "default" must be empty, but it still has snapshots',
    );
    await expectError(
      () => core.namespaces.create('bad name', {}),
      'InvalidArgument',
      /identifier "bad name" must match/,
    );
  });
});
