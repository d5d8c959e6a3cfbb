import { describe, expect, it } from 'vitest';
import {
  coverage,
  describeGap,
  timedSpan,
  traceCoverage,
  type TimedSpan,
} from '../src/trace/coverage';
import { assembleTrace } from '../src/trace/model';
import { span } from './trace-fixtures/spans';

const ms = (n: number) => BigInt(Math.round(n * 1e6));
const at = (name: string, start: number, end: number): TimedSpan => ({
  name,
  startNs: 1_000_000_000_000n + ms(start),
  endNs: 1_000_000_000_000n + ms(end),
});
const ROOT = at('root', 0, 100);

describe('coverage of a root by the other spans', () => {
  it('with no other span, the whole root is one unexplained gap', () => {
    const c = coverage(ROOT, []);
    expect(c).toEqual({
      rootMs: 100,
      coveredMs: 0,
      ratio: 0,
      gaps: [{ startMs: 0, endMs: 100, durationMs: 100, after: null, before: null }],
    });
  });

  it('counts overlapping and nested spans once', () => {
    const c = coverage(ROOT, [
      at('a', 10, 40),
      at('a.nested', 15, 20),
      at('b', 30, 60), // overlaps a
      at('c', 60, 70), // touches b: no gap between them
    ]);
    expect(c.coveredMs).toBe(60);
    expect(c.ratio).toBeCloseTo(0.6, 12);
    expect(c.gaps).toEqual([
      { startMs: 70, endMs: 100, durationMs: 30, after: 'c', before: null },
      { startMs: 0, endMs: 10, durationMs: 10, after: null, before: 'a' },
    ]);
  });

  it('names the spans on either side of each gap, largest gap first', () => {
    const c = coverage(ROOT, [at('create', 0, 20), at('start', 25, 50), at('wait', 90, 100)]);
    expect(c.gaps.map((g) => [g.durationMs, g.after, g.before])).toEqual([
      [40, 'start', 'wait'],
      [5, 'create', 'start'],
    ]);
    expect(c.ratio).toBeCloseTo(0.55, 12);
    expect(describeGap(c.gaps[0]!, 'root')).toBe('after start, before wait');
  });

  it('labels a merged segment by the span that ends it last', () => {
    const c = coverage(ROOT, [at('long', 0, 50), at('inner', 10, 20), at('tail', 45, 80)]);
    expect(c.gaps).toEqual([
      { startMs: 80, endMs: 100, durationMs: 20, after: 'tail', before: null },
    ]);
    expect(describeGap(c.gaps[0]!, 'root')).toBe('after tail, before root ended');
  });

  it('clips spans that stick out of the root and ignores empty ones', () => {
    const c = coverage(ROOT, [at('early', -50, 10), at('late', 95, 400), at('instant', 50, 50)]);
    expect(c.coveredMs).toBe(15);
    expect(c.gaps).toEqual([
      { startMs: 10, endMs: 95, durationMs: 85, after: 'early', before: 'late' },
    ]);
  });

  it('treats a zero-length root as fully explained', () => {
    expect(coverage(at('root', 5, 5), [])).toEqual({ rootMs: 0, coveredMs: 0, ratio: 1, gaps: [] });
  });

  it('keeps nanosecond precision on epoch timestamps', () => {
    const root = {
      name: 'r',
      startNs: 1_767_225_600_000_000_001n,
      endNs: 1_767_225_600_000_001_001n,
    };
    const child = {
      name: 'c',
      startNs: 1_767_225_600_000_000_002n,
      endNs: 1_767_225_600_000_001_001n,
    };
    const c = coverage(root, [child]);
    expect(c.coveredMs).toBe(0.000999);
    expect(c.gaps).toEqual([
      { startMs: 0, endMs: 0.000001, durationMs: 0.000001, after: null, before: 'c' },
    ]);
  });

  it('measures a stored trace: every span but the root, across processes and missing parents', () => {
    const trace = assembleTrace('a'.repeat(32), [
      span({ spanId: '1', name: 'dockerd.container.create', start: 0, end: 100 }),
      span({ spanId: '2', parent: '1', name: 'containerd.tasks.create', start: 10, end: 50 }),
      span({ spanId: '3', parent: '2', name: 'shim.task.create', start: 20, end: 60 }),
      // Its parent (runtime.create) was lost: it still explains time.
      span({ spanId: '5', parent: '4', name: 'runtime.launch.exec', start: 70, end: 96 }),
    ]);
    const c = traceCoverage(trace);
    expect(c.coveredMs).toBe(76);
    expect(c.gaps.map((g) => [g.durationMs, g.after, g.before])).toEqual([
      [10, null, 'containerd.tasks.create'],
      [10, 'shim.task.create', 'runtime.launch.exec'],
      [4, 'runtime.launch.exec', null],
    ]);
    expect(timedSpan(trace.root.span)).toEqual({
      name: 'dockerd.container.create',
      startNs: trace.root.startNs,
      endNs: trace.root.endNs,
    });
  });
});
