import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalContentStore } from './local';

const sha256 = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

describe('LocalContentStore.writer', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-content-write-'));
  const store = new LocalContentStore(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const ingestData = () => {
    const [dir] = readdirSync(join(root, 'ingest'));
    return join(root, 'ingest', dir ?? '', 'data');
  };

  it('restarts an ingest from empty when it is reopened for different content', async () => {
    const w1 = await store.writer('ref', 0, sha256('first'));
    await w1.write(Buffer.from('fir'));
    await w1.close();
    const w2 = await store.writer('ref', 0, sha256('second'));
    expect(w2.status().offset).toBe(0);
    expect(readFileSync(ingestData()).length).toBe(0);
    await w2.write(Buffer.from('second'));
    expect(await w2.commit(6, '')).toBe(sha256('second'));
    expect(readFileSync(store.blobPath(sha256('second')), 'utf8')).toBe('second');
  });

  it('resumes at the data already written and hashes it into the digest', async () => {
    const w1 = await store.writer('resume', 0, sha256('resumed'));
    await w1.write(Buffer.from('res'));
    await w1.close();
    const w2 = await store.writer('resume', 0, '');
    expect(w2.status().offset).toBe(3);
    await w2.write(Buffer.from('umed'));
    expect(await w2.commit(7, '')).toBe(sha256('resumed'));
  });

  it('recreates a data file a crash removed and starts that ingest at zero', async () => {
    const w1 = await store.writer('crashed', 0, '');
    await w1.write(Buffer.from('lost'));
    await w1.close();
    rmSync(ingestData());
    const w2 = await store.writer('crashed', 0, '');
    expect(w2.status().offset).toBe(0);
    await w2.write(Buffer.from('kept'));
    expect(await w2.commit(4, '')).toBe(sha256('kept'));
  });
});
