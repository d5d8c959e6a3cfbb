import { DEFAULT_TRACE_DIR, readSpans, type StoredSpan } from '@berth/telemetry';
import { stat } from 'node:fs/promises';
import { findAttribute, serviceOf } from './attributes';
import { TraceCommandError } from './errors';

export interface SpanNode {
  span: StoredSpan;
  service: string;
  startNs: bigint;
  endNs: bigint;
  depth: number;
  children: SpanNode[];
  /** The span names a parent that is not in the store (not recorded, not flushed, or torn). */
  parentMissing: boolean;
}

export interface Trace {
  traceId: string;
  /** The span the trace is about: the earliest top-level span (the longest on a tie). */
  root: SpanNode;
  /** Every span, depth first from the root, then the other top-level trees. */
  nodes: SpanNode[];
  /** Earliest start and latest end over all spans. */
  startNs: bigint;
  endNs: bigint;
}

/** One line of `berth trace ls`. */
export interface TraceSummary {
  traceId: string;
  start: string;
  rootName: string;
  containerId: string | undefined;
  image: string | undefined;
  runtime: string | undefined;
  totalMs: number;
  spanCount: number;
  services: string[];
}

export interface LoadedStore {
  dir: string;
  /** Ordered by root start, oldest first. */
  traces: Trace[];
  /** Records that parsed as JSON but are not usable spans (bad timestamps, no name). */
  malformed: number;
}

/** `dir`, else BERTH_TRACE_DIR, else the default the services write to. */
export function storeDir(dir: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return dir || env.BERTH_TRACE_DIR || DEFAULT_TRACE_DIR;
}

/**
 * Reads the store and assembles its spans into traces. A missing directory is an error unless
 * `missingOk`: a store appears only once something has been traced.
 */
export async function loadStore(
  opts: { dir?: string; since?: Date; missingOk?: boolean } = {},
): Promise<LoadedStore> {
  const dir = storeDir(opts.dir);
  try {
    if (!(await stat(dir)).isDirectory()) throw new TraceCommandError(`${dir} is not a directory`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (opts.missingOk) return { dir, traces: [], malformed: 0 };
    throw new TraceCommandError(
      `trace store ${dir} does not exist (is tracing on? set --dir or BERTH_TRACE_DIR)`,
    );
  }
  const byTrace = new Map<string, StoredSpan[]>();
  let malformed = 0;
  for await (const span of readSpans({ dir, ...(opts.since ? { since: opts.since } : {}) })) {
    if (!isUsable(span)) {
      malformed++;
      continue;
    }
    const spans = byTrace.get(span.traceId) ?? [];
    spans.push(span);
    byTrace.set(span.traceId, spans);
  }
  const traces = [...byTrace.entries()].map(([id, spans]) => assembleTrace(id, spans));
  traces.sort((a, b) => compareBigint(a.root.startNs, b.root.startNs));
  return { dir, traces, malformed };
}

const DECIMAL = /^\d{1,20}$/;

function isUsable(span: StoredSpan): boolean {
  return (
    typeof span.name === 'string' &&
    typeof span.startTimeUnixNano === 'string' &&
    typeof span.endTimeUnixNano === 'string' &&
    DECIMAL.test(span.startTimeUnixNano) &&
    DECIMAL.test(span.endTimeUnixNano) &&
    BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano) &&
    typeof span.attributes === 'object' &&
    span.attributes !== null &&
    typeof span.resource === 'object' &&
    span.resource !== null
  );
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byStart(a: SpanNode, b: SpanNode): number {
  return compareBigint(a.startNs, b.startNs) || compareBigint(b.endNs, a.endNs);
}

/** Builds the span tree of one trace; a span whose parent is absent becomes a top-level tree. */
export function assembleTrace(traceId: string, spans: readonly StoredSpan[]): Trace {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) {
    // A span written twice (a retried flush) counts once.
    if (nodes.has(span.spanId)) continue;
    nodes.set(span.spanId, {
      span,
      service: serviceOf(span),
      startNs: BigInt(span.startTimeUnixNano),
      endNs: BigInt(span.endTimeUnixNano),
      depth: 0,
      children: [],
      parentMissing: false,
    });
  }
  if (nodes.size === 0) throw new Error(`trace ${traceId} has no spans`);
  const topLevel: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else {
      node.parentMissing = Boolean(parentId);
      topLevel.push(node);
    }
  }
  topLevel.sort(byStart);
  const ordered: SpanNode[] = [];
  const visit = (node: SpanNode, depth: number) => {
    node.depth = depth;
    ordered.push(node);
    node.children.sort(byStart);
    for (const child of node.children) visit(child, depth + 1);
  };
  for (const node of topLevel) visit(node, 0);
  return {
    traceId,
    root: topLevel[0]!,
    nodes: ordered,
    startNs: ordered.reduce((min, n) => (n.startNs < min ? n.startNs : min), ordered[0]!.startNs),
    endNs: ordered.reduce((max, n) => (n.endNs > max ? n.endNs : max), ordered[0]!.endNs),
  };
}

export function nsToMs(ns: bigint): number {
  return Number(ns) / 1e6;
}

export function durationMs(node: { startNs: bigint; endNs: bigint }): number {
  return nsToMs(node.endNs - node.startNs);
}

export function nsToIso(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

export function summarize(trace: Trace): TraceSummary {
  const spans = trace.nodes.map((n) => n.span);
  return {
    traceId: trace.traceId,
    start: nsToIso(trace.root.startNs),
    rootName: trace.root.span.name,
    containerId: findAttribute(spans, 'container'),
    image: findAttribute(spans, 'image'),
    runtime: findAttribute(spans, 'runtime'),
    totalMs: durationMs(trace.root),
    spanCount: trace.nodes.length,
    services: [...new Set(trace.nodes.map((n) => n.service))],
  };
}

/** `latest`, or a prefix of a trace id (at least 4 hex digits so that it is meaningful). */
export function selectTrace(store: LoadedStore, ref: string): Trace {
  if (store.traces.length === 0) throw new TraceCommandError(`no traces in ${store.dir}`);
  if (ref === 'latest') return store.traces.at(-1)!;
  const prefix = ref.toLowerCase();
  if (!/^[0-9a-f]{4,32}$/.test(prefix)) {
    throw new TraceCommandError(
      `'${ref}' is not a trace id: give 'latest' or 4 to 32 hex digits of one`,
    );
  }
  const matches = store.traces.filter((t) => t.traceId.startsWith(prefix));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new TraceCommandError(
      `no trace ${ref} in ${store.dir} (${store.traces.length} traces; see 'berth trace ls')`,
    );
  }
  throw new TraceCommandError(
    `trace id prefix ${ref} is ambiguous: ${matches.map((t) => t.traceId).join(', ')}`,
  );
}
