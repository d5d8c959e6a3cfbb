import { rm } from 'node:fs/promises';
import { XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSince } from '../src/trace/cli';
import { TraceCommandError, TraceUsageError } from '../src/trace/errors';
import { matchesFilter, parseFilter } from '../src/trace/filter';
import { assembleTrace, loadStore, selectTrace, summarize } from '../src/trace/model';
import { drawBar, renderWaterfall, showReport } from '../src/trace/show';
import { median, percentile } from '../src/trace/stats';
import { renderSvg, tickStep } from '../src/trace/svg';
import { renderHtml } from '../src/trace/html';
import { span, storeWith } from './trace-fixtures/spans';

const T1 = '1'.repeat(32);
const T2 = '12' + '0'.repeat(30);
const T3 = 'f'.repeat(32);

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});
const store = async (lines: Parameters<typeof storeWith>[0]) => {
  const dir = await storeWith(lines);
  dirs.push(dir);
  return dir;
};

describe('assembling spans into traces', () => {
  it('builds the tree depth first, children by start time, and counts a repeated span once', () => {
    const root = span({ spanId: '1', name: 'dockerd.container.create', start: 0, end: 50 });
    const trace = assembleTrace(T1, [
      span({ spanId: '3', parent: '1', name: 'dockerd.container.start', start: 30, end: 45 }),
      span({ spanId: '2', parent: '1', name: 'containerd.tasks.create', start: 5, end: 25 }),
      span({ spanId: '4', parent: '2', name: 'shim.task.create', start: 6, end: 20 }),
      root,
      root,
    ]);
    expect(trace.root.span.name).toBe('dockerd.container.create');
    expect(trace.nodes.map((n) => [n.depth, n.span.name])).toEqual([
      [0, 'dockerd.container.create'],
      [1, 'containerd.tasks.create'],
      [2, 'shim.task.create'],
      [1, 'dockerd.container.start'],
    ]);
  });

  it('roots a trace whose parent is not in the store at its earliest span, marking the orphans', () => {
    const trace = assembleTrace(T1, [
      span({ spanId: '9', parent: '8', name: 'runtime.create', start: 20, end: 30 }),
      span({ spanId: '2', parent: 'c11', name: 'dockerd.container.create', start: 0, end: 40 }),
    ]);
    expect(trace.root.span.name).toBe('dockerd.container.create');
    expect(trace.nodes.map((n) => [n.depth, n.parentMissing])).toEqual([
      [0, true],
      [0, true],
    ]);
  });

  it('summarizes a start from attributes on any span, semantic names or older aliases', () => {
    const trace = assembleTrace(T1, [
      span({
        spanId: '1',
        name: 'dockerd.container.create',
        start: 0,
        end: 12.5,
        attributes: { 'container.image': 'busybox' },
      }),
      span({
        spanId: '2',
        parent: '1',
        name: 'shim.task.create',
        start: 1,
        end: 2,
        attributes: { 'container.id': 'abc', 'container.runtime': 'runc' },
      }),
      span({
        spanId: '3',
        parent: '2',
        name: 'runtime.create',
        start: 1,
        end: 2,
        service: 'runtime',
      }),
    ]);
    expect(summarize(trace)).toEqual({
      traceId: T1,
      start: '2026-01-01T00:00:00.000Z',
      rootName: 'dockerd.container.create',
      containerId: 'abc',
      image: 'busybox',
      runtime: 'runc',
      totalMs: 12.5,
      spanCount: 3,
      services: ['dockerd', 'shim', 'runtime'],
    });
    expect(matchesFilter(trace, parseFilter('runtime=runc, image=busybox'))).toBe(true);
    expect(matchesFilter(trace, parseFilter('service=berth-shim,name=runtime.create'))).toBe(true);
    expect(matchesFilter(trace, parseFilter('runtime=crun'))).toBe(false);
    expect(() => parseFilter('runtime')).toThrow(TraceUsageError);
    expect(() => parseFilter('=runc')).toThrow(TraceUsageError);
  });
});

describe('reading the store', () => {
  const three = [
    span({ traceId: T1, spanId: '1', name: 'dockerd.container.create', start: 0, end: 10 }),
    span({ traceId: T2, spanId: '2', name: 'dockerd.container.create', start: 100, end: 110 }),
    span({ traceId: T3, spanId: '3', name: 'dockerd.container.create', start: 50, end: 60 }),
  ];

  it('orders traces by root start and picks by prefix or latest', async () => {
    const loaded = await loadStore({ dir: await store(three) });
    expect(loaded.traces.map((t) => t.traceId)).toEqual([T1, T3, T2]);
    expect(selectTrace(loaded, 'latest').traceId).toBe(T2);
    expect(selectTrace(loaded, 'FFFF').traceId).toBe(T3);
    expect(selectTrace(loaded, '1200').traceId).toBe(T2);
    expect(() => selectTrace(loaded, '1')).toThrow(/4 to 32 hex digits/);
    expect(() => selectTrace(loaded, 'abcd')).toThrow(/no trace abcd .* \(3 traces/);
    expect(() => selectTrace(loaded, 'xyz!')).toThrow(TraceCommandError);
  });

  it('reports an ambiguous prefix with the candidates', async () => {
    const loaded = await loadStore({
      dir: await store([three[0]!, { ...three[0]!, traceId: '1111' + 'e'.repeat(28) }]),
    });
    expect(() => selectTrace(loaded, '1111')).toThrow(
      /ambiguous: 1{32}, 1111e{28}|ambiguous: 1111e{28}, 1{32}/,
    );
  });

  it('skips torn lines and counts records that are not usable spans', async () => {
    const good = JSON.stringify(three[0]);
    const loaded = await loadStore({
      dir: await store([
        good.slice(0, 40), // torn write from a crash
        'not json at all',
        { ...three[1]!, startTimeUnixNano: 'soon' },
        { ...three[2]!, endTimeUnixNano: '1' }, // ends before it starts
        good.slice(0, 25) + good, // a torn record glued to a whole one
      ]),
    });
    expect(loaded.traces.map((t) => t.traceId)).toEqual([T1]);
    expect(loaded.malformed).toBe(2);
  });

  it('tells a missing store from an empty one', async () => {
    await expect(loadStore({ dir: '/nonexistent/berth-traces' })).rejects.toThrow(
      /trace store \/nonexistent\/berth-traces does not exist/,
    );
    expect(await loadStore({ dir: '/nonexistent/x', missingOk: true })).toMatchObject({
      traces: [],
    });
    const empty = await loadStore({ dir: await store([]) });
    expect(() => selectTrace(empty, 'latest')).toThrow(/^no traces in /);
  });
});

describe('small calculations', () => {
  it('nearest-rank percentiles', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    expect(percentile(values, 50)).toBe(10);
    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  it('medians: the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('bars: scaled to the axis, at least one cell, never past the end', () => {
    expect(drawBar(0, 100, 100, 10)).toBe('█'.repeat(10));
    expect(drawBar(50, 10, 100, 10)).toBe('     █    ');
    expect(drawBar(100, 0, 100, 10)).toBe('         █');
    expect(drawBar(0, 0, 0, 4)).toBe('█   ');
  });

  it('axis ticks on a 1-2-5 scale', () => {
    expect(tickStep(460)).toBe(100);
    expect(tickStep(80)).toBe(10);
    expect(tickStep(0.9)).toBe(0.2);
  });

  it('--since: relative or ISO', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(parseSince('10m', now).toISOString()).toBe('2026-01-01T11:50:00.000Z');
    expect(parseSince('2026-01-01T10:00:00Z').toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(() => parseSince('yesterday')).toThrow(TraceUsageError);
  });
});

describe('the terminal waterfall', () => {
  it('marks failed spans and spans whose parent is missing, and truncates long names', () => {
    const trace = assembleTrace(T1, [
      span({
        spanId: '1',
        name: 'dockerd.container.create',
        start: 0,
        end: 40,
        error: 'no such image',
      }),
      span({ spanId: '2', parent: '1', name: `containerd.${'x'.repeat(80)}`, start: 0, end: 10 }),
      span({ spanId: '4', parent: '3', name: 'runtime.create', start: 20, end: 40 }),
    ]);
    const text = renderWaterfall(trace, { width: 80, colour: false, gaps: 1 });
    const rows = text.split('\n').filter((l) => l.includes('█'));
    expect(rows[0]).toMatch(
      /^ +\+0\.00 {2}! dockerd\.container\.create .*40\.0 ms {2}dockerd {5}error: no such image$/,
    );
    expect(rows[1]).toMatch(/ {2}containerd\.x+… /);
    expect(rows[2]).toMatch(/runtime {5}parent not in store$/);
    expect(text).toMatch(
      /\nlargest unexplained gaps \(1 in all\):\n +10\.0 ms at \+10\.00 ms {2}after containerd\.x+, before runtime\.create\n$/,
    );
    expect(
      Math.max(...rows.map((r) => r.replace(/ +(error|parent).*$/, '').length)),
    ).toBeLessThanOrEqual(80);
  });
});

describe('the SVG waterfall', () => {
  it('escapes names and attributes from the store and stays well-formed XML', () => {
    const trace = assembleTrace(T1, [
      span({
        spanId: '1',
        name: 'dockerd.container.create',
        start: 0,
        end: 10,
        attributes: { 'container.image.name': '"><script>x</script>&' },
      }),
      span({ spanId: '2', parent: '1', name: 'x.<b>&amp;', start: 2, end: 4, error: "it's <bad>" }),
    ]);
    const svg = renderSvg(showReport(trace));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('x.&#60;b&#62;&#38;amp;');
    const html = renderHtml(showReport(trace));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
  });
});
