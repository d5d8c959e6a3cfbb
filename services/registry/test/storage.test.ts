import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDigest } from '../src/reference';
import { Storage } from '../src/storage';
import { filesUnder, sha256 } from './helpers';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'berth-registry-storage-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('upload sessions', () => {
  it('survive a restart and recompute their hash before publishing', async () => {
    const first = new Storage(root);
    const session = await first.uploads.create('app');
    await first.uploads.append(session, Readable.from([Buffer.from('hello ')]));

    const second = new Storage(root);
    const resumed = await second.uploads.get('app', session.id);
    expect(resumed.size).toBe(6);
    await second.uploads.append(resumed, Readable.from([Buffer.from('world')]));
    await expect(second.uploads.finish(resumed, parseDigest(sha256('wrong')))).rejects.toThrow(
      /did not match/,
    );
    await second.uploads.finish(resumed, parseDigest(sha256('hello world')));
    expect(await second.blobs.isLinked('app', parseDigest(sha256('hello world')))).toBe(true);
    expect(await filesUnder(join(root, 'uploads'))).toEqual([]);
  });

  it('belong to the repository that opened them', async () => {
    const storage = new Storage(root);
    const session = await storage.uploads.create('owner');
    await expect(storage.uploads.get('intruder', session.id)).rejects.toThrow(/unknown/);
    await expect(storage.uploads.get('owner', '../../etc')).rejects.toThrow(/unknown/);
  });
});
