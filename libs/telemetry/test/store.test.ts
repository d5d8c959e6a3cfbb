import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  finished,
  readSpans,
  TraceStoreWriter,
  type ReadSpansOptions,
  type StoredSpan,
} from '../src/index';
import { bundleFixtures, type Bundle } from './helpers/bundle';
import { fakeSpan } from './helpers/spans';

async function collect(opts: ReadSpansOptions): Promise<StoredSpan[]> {
  const out: StoredSpan[] = [];
  for await (const span of readSpans(opts)) out.push(span);
  return out;
}

async function storeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

describe('embedded trace store', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'berth-store-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('rotates segments and drops the oldest beyond the size cap', async () => {
    const maxBytes = 32 * 1024;
    const writer = new TraceStoreWriter({ dir, maxBytes, segmentBytes: 8 * 1024, batchSpans: 1 });
    for (let i = 0; i < 1000; i++) writer.onEnd(finished(fakeSpan(i)));
    await writer.shutdown();

    const segments = (await readdir(dir)).sort();
    expect(segments.length).toBeGreaterThan(2);
    expect(segments.every((n) => /^spans-\d{12}\.jsonl$/.test(n))).toBe(true);
    // At most one segment of slack: the one that crossed the cap before it was pruned.
    expect(await storeBytes(dir)).toBeLessThanOrEqual(maxBytes + 8 * 1024);
    const seqs = (await collect({ dir })).map((s) => s.attributes.seq as number);
    expect(seqs.at(-1)).toBe(999);
    expect(seqs[0]).toBeGreaterThan(0); // the oldest spans were dropped …
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // … and only whole, in order
  });

  it('keeps spans buffered until flush, then writes them in one append', async () => {
    const writer = new TraceStoreWriter({ dir, maxBytes: 1 << 20, flushIntervalMs: 60_000 });
    writer.onEnd(finished(fakeSpan(1)));
    writer.onEnd(finished(fakeSpan(2)));
    expect(await collect({ dir })).toEqual([]);
    await writer.flush();
    expect((await collect({ dir })).map((s) => s.name)).toEqual(['test.op1', 'test.op2']);
    await writer.shutdown();
  });

  it('continues the newest segment left by an earlier process', async () => {
    for (const seq of [1, 2]) {
      const writer = new TraceStoreWriter({ dir, maxBytes: 1 << 20 });
      writer.onEnd(finished(fakeSpan(seq)));
      await writer.shutdown();
    }
    expect(await readdir(dir)).toEqual(['spans-000000000001.jsonl']);
    expect((await collect({ dir })).length).toBe(2);
  });

  it('moves on when other writers pruned the segment it holds open', async () => {
    const writer = new TraceStoreWriter({ dir, maxBytes: 1 << 20 });
    writer.onEnd(finished(fakeSpan(1)));
    await writer.flush();
    await rm(join(dir, 'spans-000000000001.jsonl'));
    writer.onEnd(finished(fakeSpan(2)));
    await writer.shutdown();
    expect(await readdir(dir)).toEqual(['spans-000000000002.jsonl']);
    expect((await collect({ dir })).map((s) => s.name)).toEqual(['test.op2']);
  });

  it('skips torn lines and recovers a record glued to one', async () => {
    const good = (n: number) => JSON.stringify(fakeSpan(n)) + '\n';
    const torn = JSON.stringify(fakeSpan(2)).slice(0, 57);
    await writeFile(
      join(dir, 'spans-000000000001.jsonl'),
      good(1) + torn + good(3) + 'garbage\n' + '\0\0\0\n' + torn,
    );
    expect((await collect({ dir })).map((s) => s.name)).toEqual(['test.op1', 'test.op3']);
  });

  it('filters by trace id, service and start time', async () => {
    const writer = new TraceStoreWriter({ dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 10; i++) {
      writer.onEnd(
        finished(
          fakeSpan(i, {
            traceId: i % 2 ? 'b'.repeat(32) : 'a'.repeat(32),
            resource: { 'service.name': i < 5 ? 'berth-dockerd' : 'berth-runtime' },
          }),
        ),
      );
    }
    await writer.shutdown();
    const seqs = async (opts: ReadSpansOptions) =>
      (await collect({ dir, ...opts })).map((s) => s.attributes.seq);
    expect(await seqs({ traceId: 'b'.repeat(32) })).toEqual([1, 3, 5, 7, 9]);
    expect(await seqs({ service: 'berth-runtime' })).toEqual([5, 6, 7, 8, 9]);
    expect(await seqs({ since: new Date((1_735_689_600 + 7) * 1000) })).toEqual([7, 8, 9]);
    expect(
      await seqs({ traceId: 'a'.repeat(32), since: new Date((1_735_689_600 + 3) * 1000) }),
    ).toEqual([4, 6, 8]);
  });

  it('skips whole segments last written before `since`', async () => {
    const writer = new TraceStoreWriter({ dir, maxBytes: 1 << 20 });
    writer.onEnd(
      finished(fakeSpan(1, { startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n) })),
    );
    await writer.shutdown();
    const segment = join(dir, 'spans-000000000001.jsonl');
    const hourAgo = new Date(Date.now() - 3600_000);
    expect(await collect({ dir, since: hourAgo })).toHaveLength(1);
    await utimes(segment, new Date(hourAgo.getTime() - 1000), new Date(hourAgo.getTime() - 1000));
    expect(await collect({ dir, since: hourAgo })).toHaveLength(0);
    expect(await collect({ dir })).toHaveLength(1);
  });

  it('reads nothing from a store that does not exist', async () => {
    expect(await collect({ dir: join(dir, 'missing') })).toEqual([]);
  });

  it('reports a store it cannot write once, without throwing into the caller', async () => {
    await writeFile(join(dir, 'file'), '');
    const errors: Error[] = [];
    const writer = new TraceStoreWriter({
      dir: join(dir, 'file', 'traces'),
      maxBytes: 1 << 20,
      onError: (err) => errors.push(err),
    });
    writer.onEnd(finished(fakeSpan(1)));
    await writer.flush();
    writer.onEnd(finished(fakeSpan(2)));
    await writer.flush();
    await writer.shutdown();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOTDIR']);
  });

  it('rejects a segment size above the cap', () => {
    expect(() => new TraceStoreWriter({ dir, maxBytes: 4096, segmentBytes: 8192 })).toThrow(
      RangeError,
    );
  });
});

describe('embedded trace store with concurrent writer processes', () => {
  let bundle: Bundle;
  let dir: string;
  beforeAll(async () => {
    bundle = await bundleFixtures(['store-writer']);
    dir = await mkdtemp(join(tmpdir(), 'berth-store-'));
  });
  afterAll(async () => {
    await bundle?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses and tears no line when four processes append and rotate at once', async () => {
    const writers = [1, 2, 3, 4];
    const count = 2000;
    await Promise.all(
      writers.map(async (id) => {
        const child = spawn(process.execPath, [bundle.path('store-writer')], {
          env: { ...process.env, TRACE_DIR: dir, WRITER_ID: String(id), COUNT: String(count) },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        const [code] = (await once(child, 'exit')) as [number];
        expect(code).toBe(0);
      }),
    );
    const spans = await collect({ dir });
    expect(spans.length).toBe(writers.length * count);
    for (const id of writers) {
      const mine = spans.filter((s) => s.attributes.writer === id).map((s) => s.attributes.i);
      expect(mine).toEqual([...Array(count).keys()]); // complete and in each writer's order
    }
    const lines = (
      await Promise.all((await readdir(dir)).map((n) => readFileLines(join(dir, n))))
    ).flat();
    expect(lines.length).toBe(writers.length * count);
    expect((await readdir(dir)).length).toBeGreaterThan(4); // they did rotate
  });
});

async function readFileLines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean);
}

// Appending a torn tail to a live store must not hide the records after it.
describe('embedded trace store after a crash', () => {
  it('keeps writing after a torn tail left by a crashed writer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-store-'));
    try {
      const first = new TraceStoreWriter({ dir, maxBytes: 1 << 20 });
      first.onEnd(finished(fakeSpan(1)));
      await first.shutdown();
      await appendFile(join(dir, 'spans-000000000001.jsonl'), '{"traceId":"dead');
      const second = new TraceStoreWriter({ dir, maxBytes: 1 << 20 });
      second.onEnd(finished(fakeSpan(2)));
      await second.shutdown();
      expect((await collect({ dir })).map((s) => s.name)).toEqual(['test.op1', 'test.op2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
