import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyRange } from '../src/storage/copy-range';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-registry-copy-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string, start: number, end: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  const file = await open(path, 'r');
  try {
    await copyRange(file, out, start, end);
  } finally {
    await file.close();
  }
  return Buffer.concat(chunks);
}

describe('copyRange', () => {
  it('copies ranges spanning several reused buffers exactly', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 123);
    const path = join(dir, 'blob');
    await writeFile(path, data);
    expect((await collect(path, 0, data.length - 1)).equals(data)).toBe(true);
    const [start, end] = [1024 * 1024 - 7, 2 * 1024 * 1024 + 99];
    expect((await collect(path, start, end)).equals(data.subarray(start, end + 1))).toBe(true);
  });

  it('fails when the file is shorter than the range or the receiver is gone', async () => {
    const path = join(dir, 'short');
    await writeFile(path, 'abc');
    await expect(collect(path, 0, 10)).rejects.toThrow(/shorter/);
    const file = await open(path, 'r');
    const dead = new Writable({ write: (_c, _e, cb) => cb(new Error('socket gone')) });
    dead.on('error', () => undefined);
    await expect(copyRange(file, dead, 0, 2)).rejects.toThrow(/socket gone/);
    await file.close();
  });
});
