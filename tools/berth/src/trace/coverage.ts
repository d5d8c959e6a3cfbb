import type { StoredSpan } from '@berth/telemetry';
import { nsToMs, type SpanNode, type Trace } from './model';

export interface TimedSpan {
  name: string;
  startNs: bigint;
  endNs: bigint;
}

/** Time inside the root that no other span of the trace accounts for. */
export interface Gap {
  /** Offsets from the root's start. */
  startMs: number;
  endMs: number;
  durationMs: number;
  /** The span whose end opens the gap; null when the gap opens at the root's start. */
  after: string | null;
  /** The span whose start closes the gap; null when the gap runs to the root's end. */
  before: string | null;
}

export interface Coverage {
  rootMs: number;
  /** Length of the union of the other spans, clipped to the root. */
  coveredMs: number;
  /** coveredMs / rootMs; 1 for a zero-length root. */
  ratio: number;
  /** Largest first. */
  gaps: Gap[];
}

interface Segment {
  startNs: bigint;
  endNs: bigint;
  /** The span that starts the segment and the one that ends it. */
  first: string;
  last: string;
}

/**
 * How much of `root` the other spans cover, and where they leave it unexplained. Spans are
 * clipped to the root (a child measured by another process's clock may stick out), overlaps
 * and nesting count once.
 */
export function coverage(root: TimedSpan, spans: readonly TimedSpan[]): Coverage {
  const segments = mergeClipped(root, spans);
  const gaps: Gap[] = [];
  let cursor = root.startNs;
  let after: string | null = null;
  let coveredNs = 0n;
  for (const segment of segments) {
    if (segment.startNs > cursor)
      gaps.push(gap(root, cursor, segment.startNs, after, segment.first));
    coveredNs += segment.endNs - segment.startNs;
    cursor = segment.endNs;
    after = segment.last;
  }
  if (root.endNs > cursor) gaps.push(gap(root, cursor, root.endNs, after, null));
  gaps.sort((a, b) => b.durationMs - a.durationMs || a.startMs - b.startMs);
  const rootNs = root.endNs - root.startNs;
  return {
    rootMs: nsToMs(rootNs),
    coveredMs: nsToMs(coveredNs),
    ratio: rootNs === 0n ? 1 : Number(coveredNs) / Number(rootNs),
    gaps,
  };
}

function mergeClipped(root: TimedSpan, spans: readonly TimedSpan[]): Segment[] {
  const clipped = spans
    .map((s) => ({
      name: s.name,
      startNs: s.startNs > root.startNs ? s.startNs : root.startNs,
      endNs: s.endNs < root.endNs ? s.endNs : root.endNs,
    }))
    .filter((s) => s.endNs > s.startNs)
    .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const segments: Segment[] = [];
  for (const s of clipped) {
    const open = segments.at(-1);
    if (open && s.startNs <= open.endNs) {
      if (s.endNs > open.endNs) {
        open.endNs = s.endNs;
        open.last = s.name;
      }
    } else {
      segments.push({ startNs: s.startNs, endNs: s.endNs, first: s.name, last: s.name });
    }
  }
  return segments;
}

function gap(
  root: TimedSpan,
  startNs: bigint,
  endNs: bigint,
  after: string | null,
  before: string | null,
): Gap {
  return {
    startMs: nsToMs(startNs - root.startNs),
    endMs: nsToMs(endNs - root.startNs),
    durationMs: nsToMs(endNs - startNs),
    after,
    before,
  };
}

export function timedSpan(span: StoredSpan): TimedSpan {
  return {
    name: span.name,
    startNs: BigInt(span.startTimeUnixNano),
    endNs: BigInt(span.endTimeUnixNano),
  };
}

/** Coverage of a trace's root by every other span of the trace. */
export function traceCoverage(trace: Trace): Coverage {
  const timed = (n: SpanNode): TimedSpan => ({
    name: n.span.name,
    startNs: n.startNs,
    endNs: n.endNs,
  });
  return coverage(timed(trace.root), trace.nodes.filter((n) => n !== trace.root).map(timed));
}

/** "after containerd.tasks.create, before shim.task.create"; root boundaries by name. */
export function describeGap(gap: Gap, rootName: string): string {
  const after = gap.after ?? `${rootName} began`;
  const before = gap.before ?? `${rootName} ended`;
  return `after ${after}, before ${before}`;
}
