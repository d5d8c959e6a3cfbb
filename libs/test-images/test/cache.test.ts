import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ensureTestImages, GENERATOR_VERSION } from '../src/index';
import { scratchDir } from './helpers';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
beforeEach(async () => {
  scratch = await scratchDir('cache');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await scratch.cleanup();
});

describe('ensureTestImages', () => {
  it('builds once into a directory keyed by busybox digest, generator and zlib', async () => {
    const first = await ensureTestImages(['small'], { cacheDir: scratch.dir });
    const [key] = await readdir(scratch.dir);
    expect(key).toMatch(new RegExp(`^[0-9a-f]{16}-v${GENERATOR_VERSION}-zlib`));
    expect(first.small?.ociLayout).toBe(join(scratch.dir, key!, 'small', 'oci'));
    const built = await stat(first.small!.dockerArchive);

    const second = await ensureTestImages(['small'], { cacheDir: scratch.dir });
    expect(second).toEqual(first);
    expect((await stat(second.small!.dockerArchive)).ino).toBe(built.ino);
  });

  it('adds missing images next to cached ones without touching them', async () => {
    const small = await ensureTestImages(['small'], { cacheDir: scratch.dir });
    const inode = (await stat(small.small!.dockerArchive)).ino;
    const both = await ensureTestImages(['small', 'multi'], { cacheDir: scratch.dir });
    expect((await stat(both.small!.dockerArchive)).ino).toBe(inode);
    expect(both.multi?.layers).toHaveLength(4);
  });

  it('survives concurrent callers: same result, no leftovers', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        ensureTestImages(['small', 'multi'], { cacheDir: scratch.dir }),
      ),
    );
    for (const result of results) expect(result).toEqual(results[0]);
    const [key] = await readdir(scratch.dir);
    expect((await readdir(join(scratch.dir, key!))).sort()).toEqual(['multi', 'small']);
  });

  it('uses $BERTH_TEST_IMAGES when no directory is given', async () => {
    vi.stubEnv('BERTH_TEST_IMAGES', scratch.dir);
    const images = await ensureTestImages(['small']);
    expect(images.small?.ociLayout.startsWith(scratch.dir)).toBe(true);
  });

  it('rejects unknown names without creating the cache', async () => {
    await expect(ensureTestImages(['nope'], { cacheDir: scratch.dir })).rejects.toThrow(/unknown/);
    expect(await readdir(scratch.dir)).toEqual([]);
  });
});
