import { ensureTestImages, MULTI_CHANGED_INDEX_HTML, type TestImages } from '@berth/test-images';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ctr,
  pushImage,
  startBerthRegistry,
  startDaemon,
  startDockerRegistry,
  tempDir,
} from './helpers';

// Upstream ctr (Debian containerd 1.6) drives berth-containerd: every command below runs
// the real client, which pulls, unpacks, imports and exports through our gRPC services.
describe('upstream ctr against berth-containerd', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let daemon: Awaited<ReturnType<typeof startDaemon>>;
  let registry: Awaited<ReturnType<typeof startDockerRegistry>>;
  let berthRegistry: Awaited<ReturnType<typeof startBerthRegistry>>;
  let images: TestImages;
  const c = (...args: string[]) => ctr(daemon.address, ...args);

  beforeAll(async () => {
    images = await ensureTestImages(['small', 'multi']);
    dir = await tempDir('ctr');
    daemon = await startDaemon(join(dir.path, 'daemon'));
    registry = await startDockerRegistry(join(dir.path, 'registry'));
    berthRegistry = await startBerthRegistry(join(dir.path, 'berth-registry'));
    await pushImage(
      images.small!.ociLayout,
      images.small!.tag,
      `${berthRegistry.host}/small:latest`,
    );
    for (const name of ['small', 'multi'] as const) {
      const img = images[name]!;
      await pushImage(img.ociLayout, img.tag, `${registry.host}/${name}:latest`);
    }
  }, 120_000);

  afterAll(async () => {
    await daemon?.close();
    await registry?.stop();
    await berthRegistry?.stop();
    await dir?.remove();
  });

  it('reports the server version and manages namespaces', async () => {
    expect(await c('version')).toMatch(/Server:\s+Version:\s+1\.6\.20-berth/);
    await c('namespaces', 'create', 'ctrtest', 'team=a');
    expect(await c('namespaces', 'ls')).toMatch(/ctrtest\s+team=a/);
    await expect(c('namespaces', 'create', 'ctrtest')).rejects.toThrow(
      /namespace ctrtest: already exists/,
    );
    await c('namespaces', 'rm', 'ctrtest');
    expect(await c('namespaces', 'ls', '-q')).not.toMatch(/ctrtest/);
  });

  it('pulls from docker-registry with --plain-http and unpacks into overlay snapshots', async () => {
    const multi = images.multi!;
    await c('images', 'pull', '--plain-http', `${registry.host}/multi:latest`);
    const ls = await c('images', 'ls');
    expect(ls).toContain(`${registry.host}/multi:latest`);
    expect(ls).toContain(multi.manifestDigest);
    const content = await c('content', 'ls', '-q');
    for (const l of multi.layers) expect(content).toContain(l.digest);
    expect(content).toContain(multi.configDigest);
    const snapshots = (await c('snapshots', 'ls')).trim().split('\n').slice(1);
    expect(snapshots).toHaveLength(multi.layers.length);
    expect(snapshots.every((l) => l.trim().endsWith('Committed'))).toBe(true);
  });

  it('pulls from berth-registry with --plain-http', async () => {
    const ref = `${berthRegistry.host}/small:latest`;
    await c('images', 'pull', '--plain-http', ref);
    expect(await c('images', 'check')).toMatch(new RegExp(`${ref}.*complete \\(\\d+/\\d+\\)`));
    await c('images', 'rm', ref);
  });

  it('mounts a pulled image read-write through the snapshotter', async () => {
    const target = join(dir.path, 'mnt');
    await mkdir(target);
    await c('images', 'mount', `${registry.host}/multi:latest`, target);
    try {
      expect((await stat(join(target, 'bin', 'busybox'))).isFile()).toBe(true);
      expect(await readFile(join(target, 'var', 'www', 'index.html'), 'utf8')).toBe(
        MULTI_CHANGED_INDEX_HTML,
      );
      expect(await readFile(join(target, 'srv', 'kept.txt'), 'utf8')).toBe(
        'kept by the multi image\n',
      );
      await expect(stat(join(target, 'srv', 'removed.txt'))).rejects.toThrow(/ENOENT/);
    } finally {
      await c('images', 'unmount', '--rm', target);
    }
    expect(await c('snapshots', 'ls')).not.toContain(target);
  });

  it('creates, lists, inspects and removes containers', async () => {
    await c('images', 'pull', '--plain-http', `${registry.host}/small:latest`);
    await c('containers', 'create', `${registry.host}/small:latest`, 'box1');
    expect(await c('containers', 'ls')).toMatch(
      new RegExp(`box1\\s+${registry.host}/small:latest\\s+io\\.containerd\\.runc\\.v2`),
    );
    const info = JSON.parse(await c('containers', 'info', 'box1')) as {
      ID: string;
      Snapshotter: string;
      SnapshotKey: string;
      Spec: { process: { args: string[] } };
    };
    expect(info).toMatchObject({ ID: 'box1', Snapshotter: 'overlayfs', SnapshotKey: 'box1' });
    expect(info.Spec.process.args.length).toBeGreaterThan(0);
    expect(await c('snapshots', 'ls')).toMatch(/^box1\s+sha256:\S+\s+Active/m);
    await expect(
      c('containers', 'create', `${registry.host}/small:latest`, 'box1'),
    ).rejects.toThrow(/already exists/);
    await c('containers', 'rm', 'box1');
    expect(await c('containers', 'ls', '-q')).toBe('');
    expect(await c('snapshots', 'ls')).not.toMatch(/^box1\s/m);
  });

  it('exports an image and imports it back as a docker archive', async () => {
    const out = join(dir.path, 'export.tar');
    await c('images', 'export', out, `${registry.host}/small:latest`);
    expect((await stat(out)).size).toBeGreaterThan(images.small!.layers[0]!.size);
    const small = images.small!;
    const imported = await c('images', 'import', '--no-unpack=false', small.dockerArchive);
    expect(imported).toContain(small.ref);
    expect(await c('images', 'ls', '-q')).toContain(small.ref);
    await c('images', 'rm', small.ref);
  });

  it('removes images and collects their content', async () => {
    const multi = images.multi!;
    await c('images', 'rm', `${registry.host}/multi:latest`, `${registry.host}/small:latest`);
    expect(await c('images', 'ls', '-q')).toBe('');
    // ctr's pull lease still holds content until it expires; drop every lease and collect.
    for (const lease of (await c('leases', 'ls', '-q')).split('\n').filter(Boolean)) {
      await c('leases', 'rm', '--sync', lease);
    }
    await daemon.core.gc.collect();
    expect(await c('content', 'ls', '-q')).not.toContain(multi.layers[0]!.digest);
    expect((await c('snapshots', 'ls')).trim().split('\n')).toHaveLength(1);
  });
});
