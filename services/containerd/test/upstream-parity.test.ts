import { ensureTestImages } from '@berth/test-images';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ctr,
  pushImage,
  startDaemon,
  startDockerRegistry,
  startUpstreamContainerd,
  tempDir,
} from './helpers';
import { describeTree } from './tree';

// The same ctr pulls the same image into upstream containerd and into berth-containerd;
// the mounted root filesystems must be identical, entry by entry.
describe('unpacked trees match upstream containerd', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let ours: Awaited<ReturnType<typeof startDaemon>>;
  let upstream: Awaited<ReturnType<typeof startUpstreamContainerd>>;
  let registry: Awaited<ReturnType<typeof startDockerRegistry>>;

  beforeAll(async () => {
    const images = await ensureTestImages(['multi', 'hostile-unpack']);
    dir = await tempDir('parity');
    ours = await startDaemon(join(dir.path, 'ours'));
    upstream = await startUpstreamContainerd(join(dir.path, 'upstream'));
    registry = await startDockerRegistry(join(dir.path, 'registry'));
    for (const name of ['multi', 'hostile-unpack'] as const) {
      await pushImage(
        images[name]!.ociLayout,
        images[name]!.tag,
        `${registry.host}/${name}:latest`,
      );
    }
  }, 120_000);

  afterAll(async () => {
    await ours?.close();
    await upstream?.stop();
    await registry?.stop();
    await dir?.remove();
  });

  it.each(['multi', 'hostile-unpack'])('%s', async (name) => {
    const ref = `${registry.host}/${name}:latest`;
    const trees: string[][] = [];
    for (const [label, address] of [
      ['upstream', upstream.address],
      ['ours', ours.address],
    ] as const) {
      await ctr(address, 'images', 'pull', '--plain-http', ref);
      const target = join(dir.path, `mnt-${label}-${name}`);
      await mkdir(target);
      await ctr(address, 'images', 'mount', ref, target);
      try {
        // Directories that only exist implicitly get the unpack time, so their times differ.
        trees.push(await describeTree(target, { dirTimes: false }));
      } finally {
        await ctr(address, 'images', 'unmount', '--rm', target);
      }
    }
    expect(trees[0]!.length).toBeGreaterThan(10);
    expect(trees[1]).toEqual(trees[0]);
  });
});
