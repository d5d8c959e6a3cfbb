import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_FILE_PATH, BIG_FILE_SIZE, buildTestImages, type TestImage } from '../src/index';
import { run, scratchDir } from './helpers';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let big: TestImage;

beforeAll(async () => {
  scratch = await scratchDir('big');
  big = (await buildTestImages(scratch.dir, ['big'])).big!;
}, 120_000);
afterAll(() => scratch.cleanup());

const sh = async (script: string) =>
  (await run('sh', ['-c', script], { maxBuffer: 1 << 20, timeout: 60_000 })).stdout.trim();

describe('big', () => {
  it('is the base plus one layer of 256 MiB that gzip cannot shrink', async () => {
    expect(big.layers).toHaveLength(2);
    const layer = big.layers[1]!;
    expect(layer.size).toBeGreaterThan(BIG_FILE_SIZE);
    const { size } = await stat(join(big.ociLayout, 'blobs', 'sha256', layer.digest.slice(7)));
    expect(size).toBe(layer.size);
    const inspected = JSON.parse(
      (await run('skopeo', ['inspect', `oci:${big.ociLayout}:latest`])).stdout,
    );
    expect(inspected.Layers).toEqual(big.layers.map((l) => l.digest));
  });

  it('holds exactly the AES-256-CTR keystream, as openssl computes it independently', async () => {
    const key = createHash('sha256').update('berth-test-images big').digest('hex');
    const blob = join(big.ociLayout, 'blobs', 'sha256', big.layers[1]!.digest.slice(7));
    const [inLayer, fromOpenssl] = await Promise.all([
      sh(`tar -xzOf ${blob} ${BIG_FILE_PATH} | sha256sum`),
      sh(
        `openssl enc -aes-256-ctr -K ${key} -iv ${'0'.repeat(32)} -in /dev/zero 2>/dev/null` +
          ` | head -c ${BIG_FILE_SIZE} | sha256sum`,
      ),
    ]);
    expect(inLayer).toMatch(/^[0-9a-f]{64} /);
    expect(inLayer).toBe(fromOpenssl);
  });
});
