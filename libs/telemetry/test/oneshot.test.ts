import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSpans, recordProcessSpan, type StoredSpan } from '../src/index';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

async function stored(dir: string): Promise<StoredSpan[]> {
  const out: StoredSpan[] = [];
  for await (const span of readSpans({ dir })) out.push(span);
  return out;
}

describe('recordProcessSpan (short-lived processes)', () => {
  let dir: string;
  const env = (extra: Record<string, string>) => ({ BERTH_TRACE_DIR: dir, ...extra });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-oneshot-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the span under TRACEPARENT and its measured children under it', async () => {
    await recordProcessSpan(
      'runtime',
      {
        name: 'runtime.create',
        startNs: 1_000n,
        endNs: 9_000n,
        attributes: { 'container.id': 'c1' },
        events: [{ name: 'exec', timeNs: 8_000n }],
      },
      [{ name: 'runtime.launch.spawn', startNs: 2_000n, endNs: 3_000n, attributes: { a: 1 } }],
      env({ TRACEPARENT: `00-${TRACE}-${PARENT}-01` }),
    );
    const spans = await stored(dir);
    const command = spans.find((s) => s.name === 'runtime.create')!;
    const child = spans.find((s) => s.name === 'runtime.launch.spawn')!;
    expect(command).toMatchObject({
      traceId: TRACE,
      parentSpanId: PARENT,
      startTimeUnixNano: '1000',
      endTimeUnixNano: '9000',
      attributes: { 'container.id': 'c1' },
      status: { code: 0 },
      events: [{ name: 'exec', timeUnixNano: '8000' }],
      resource: { 'service.name': 'berth-runtime', 'process.pid': process.pid },
    });
    expect(child).toMatchObject({
      traceId: TRACE,
      parentSpanId: command.spanId,
      attributes: { a: 1 },
    });
  });

  it('records a failure as status ERROR with an exception event', async () => {
    await recordProcessSpan(
      'runtime',
      { name: 'runtime.start', startNs: 1n, endNs: 2n, attributes: {}, error: new Error('boom') },
      [],
      env({ TRACEPARENT: `00-${TRACE}-${PARENT}-01` }),
    );
    const [span] = await stored(dir);
    expect(span?.status).toEqual({ code: 2, message: 'boom' });
    expect(span?.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.message': 'boom' },
    });
  });

  it('writes nothing without a valid sampled parent, or with tracing off', async () => {
    const span = { name: 'runtime.kill', startNs: 1n, endNs: 2n, attributes: {} };
    for (const extra of <Record<string, string>[]>[
      {},
      { TRACEPARENT: 'garbage' },
      { TRACEPARENT: `00-${TRACE}-${PARENT}-00` },
      { TRACEPARENT: `00-${TRACE}-${PARENT}-01`, BERTH_TRACING: 'off' },
    ]) {
      await recordProcessSpan('runtime', span, [], env(extra));
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('never throws when the store cannot be written', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, '');
    await expect(
      recordProcessSpan(
        'runtime',
        { name: 'runtime.kill', startNs: 1n, endNs: 2n, attributes: {} },
        [],
        { TRACEPARENT: `00-${TRACE}-${PARENT}-01`, BERTH_TRACE_DIR: join(file, 'traces') },
      ),
    ).resolves.toBeUndefined();
  });
});
