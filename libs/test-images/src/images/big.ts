import { createCipheriv, createHash } from 'node:crypto';
import { dir, file } from '../layer/entries';
import { BASE_LAYER } from './base';
import type { ImageSpec } from './spec';

export const BIG_FILE_PATH = 'big/random.bin';
export const BIG_FILE_SIZE = 256 * 1024 * 1024;

const CHUNK = 1024 * 1024;

/**
 * `size` bytes of AES-256-CTR keystream under a fixed key: incompressible like real binaries,
 * identical on every machine, and generated at memory speed one chunk at a time.
 */
export async function* keystream(
  size: number,
  seed = 'berth-test-images big',
): AsyncIterable<Buffer> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  for (let left = size; left > 0; left -= CHUNK) {
    yield cipher.update(left >= CHUNK ? zeros : zeros.subarray(0, left));
  }
}

/** Base plus one layer holding a 256 MiB incompressible file, for throughput tests. */
export const BIG: ImageSpec = {
  name: 'big',
  onDemand: true,
  layers: [
    BASE_LAYER,
    {
      id: 'big-file',
      description: `add /${BIG_FILE_PATH}: ${BIG_FILE_SIZE} bytes of AES-256-CTR keystream`,
      // Deflate cannot shrink this; level 1 spends the least time finding that out.
      gzipLevel: 1,
      entries: () => [
        dir('big'),
        file(BIG_FILE_PATH, { size: BIG_FILE_SIZE, open: () => keystream(BIG_FILE_SIZE) }),
      ],
    },
  ],
};
