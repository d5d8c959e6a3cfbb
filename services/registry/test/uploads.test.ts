import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDigest } from '../src/reference';
import { Storage } from '../src/storage';
import { sha256 } from './helpers';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'berth-registry-uploads-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Descriptors of this process open on files below `dir`. */
async function openFilesUnder(dir: string): Promise<string[]> {
  const targets = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((t) => t.startsWith(dir));
}

describe('upload data files', () => {
  it('stay open across the chunks of a session and are closed when it is published', async () => {
    const storage = new Storage(root);
    const s = await storage.uploads.create('app');
    await storage.uploads.append(s, Readable.from([Buffer.from('hello ')]));
    await storage.uploads.append(s, Readable.from([Buffer.from('big '), Buffer.from('world')]));
    expect(await openFilesUnder(root)).toHaveLength(1);
    await storage.uploads.finish(s, parseDigest(sha256('hello big world')));
    expect(await openFilesUnder(root)).toEqual([]);
    expect(await readdir(join(root, 'uploads'))).toEqual([]);
  });

  it('take a large body in order, past batching, backpressure and background writeback', async () => {
    const storage = new Storage(root);
    const s = await storage.uploads.create('app');
    // 40 MiB in socket-sized chunks, each distinct, from a source that never waits.
    const chunks = Array.from({ length: 640 }, (_, i) => Buffer.alloc(64 * 1024, i % 251));
    await storage.uploads.append(s, Readable.from(chunks));
    expect(s.size).toBe(40 * 1024 * 1024);
    const digest = parseDigest(sha256(Buffer.concat(chunks)));
    await storage.uploads.finish(s, digest);
    expect((await readFile(storage.layout.blob(digest))).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('are closed and removed when a session is cancelled', async () => {
    const storage = new Storage(root);
    const s = await storage.uploads.create('app');
    await storage.uploads.append(s, Readable.from([Buffer.from('partial')]));
    await storage.uploads.cancel(s);
    expect(await openFilesUnder(root)).toEqual([]);
    expect(await readdir(join(root, 'uploads'))).toEqual([]);
  });

  it('keep nothing of a chunk whose source fails midway', async () => {
    const storage = new Storage(root);
    const s = await storage.uploads.create('app');
    await storage.uploads.append(s, Readable.from([Buffer.from('kept')]));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024, 7));
        this.destroy(new Error('client gone'));
      },
    });
    await expect(storage.uploads.append(s, failing)).rejects.toThrow(/client gone/);
    expect(s.size).toBe(4);
    await storage.uploads.finish(s, parseDigest(sha256('kept')));
    expect(await storage.blobs.isLinked('app', parseDigest(sha256('kept')))).toBe(true);
  });
});

describe('idle session purge', () => {
  it('also removes sessions stored by the older directory layout', async () => {
    const old = join(root, 'uploads', '0b5e9b3c-8d8a-4f7e-9a51-2b9c1b6f3a10');
    await mkdir(old, { recursive: true });
    await writeFile(join(old, 'data'), 'abandoned');
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await utimes(join(old, 'data'), dayAgo, dayAgo);
    await utimes(old, dayAgo, dayAgo);
    const storage = new Storage(root);
    expect(await storage.uploads.purgeIdle(Date.now() - 60_000)).toBe(1);
    expect(await readdir(join(root, 'uploads'))).toEqual([]);
  });
});
