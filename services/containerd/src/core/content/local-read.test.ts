import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalContentStore } from './local';

const drain = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
};

describe('LocalContentStore.read and reader', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-content-read-'));
  const store = new LocalContentStore(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const put = (data: Buffer) => {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    mkdirSync(dirname(store.blobPath(digest)), { recursive: true });
    writeFileSync(store.blobPath(digest), data);
    return digest;
  };

  it('reads the same ranges from small blobs (one read) and large ones (a stream)', async () => {
    for (const size of [0, 1500, 64 << 10, (64 << 10) + 1, 3 << 20]) {
      const data = randomBytes(size);
      const digest = put(data);
      // Buffer.equals: vitest's deep equality walks megabytes byte by byte.
      expect((await drain(store.reader(digest))).equals(data)).toBe(true);
      const offset = Math.floor(size / 3);
      const range = await drain(store.reader(digest, offset, 1000));
      expect(range.equals(data.subarray(offset, offset + 1000))).toBe(true);
      expect((await drain(store.reader(digest, size, 0))).length).toBe(0);
      expect(() => store.reader(digest, size + 1, 0)).toThrow(/beyond/);
      // read: the whole range in one buffer up to 64 KiB, else a stream (read here, so that
      // no open stream outlives the blob).
      const whole = store.read(digest);
      expect(Buffer.isBuffer(whole)).toBe(size <= 64 << 10);
      const bytes = Buffer.isBuffer(whole) ? whole : await drain(whole);
      expect(bytes.equals(data)).toBe(true);
      const small = store.read(digest, offset, 1000);
      expect(Buffer.isBuffer(small) && small.equals(range)).toBe(true);
      expect(() => store.read(digest, size + 1, 0)).toThrow(/beyond/);
    }
    expect(() => store.read(`sha256:${'0'.repeat(64)}`)).toThrow(/not found/);
  });
});
