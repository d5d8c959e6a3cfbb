import type { StoredSpan } from '@berth/telemetry';
import { describeGap, traceCoverage, type Coverage } from './coverage';
import { fit, formatMs, formatPercent } from './format';
import {
  durationMs,
  nsToMs,
  summarize,
  type SpanNode,
  type Trace,
  type TraceSummary,
} from './model';
import { paint } from './palette';

export interface ShowOptions {
  /** Total line width in characters. */
  width: number;
  colour: boolean;
  /** How many of the largest unexplained gaps to name. */
  gaps: number;
}

export interface ShownSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  service: string;
  depth: number;
  /** From the trace's first span start. */
  startOffsetMs: number;
  durationMs: number;
  status: StoredSpan['status'];
  parentMissing: boolean;
  attributes: StoredSpan['attributes'];
}

export interface ShowReport {
  summary: TraceSummary;
  coverage: Coverage;
  spans: ShownSpan[];
}

export function showReport(trace: Trace): ShowReport {
  return {
    summary: summarize(trace),
    coverage: traceCoverage(trace),
    spans: trace.nodes.map((n) => ({
      spanId: n.span.spanId,
      parentSpanId: n.span.parentSpanId ?? null,
      name: n.span.name,
      service: n.service,
      depth: n.depth,
      startOffsetMs: nsToMs(n.startNs - trace.startNs),
      durationMs: durationMs(n),
      status: n.span.status,
      parentMissing: n.parentMissing,
      attributes: n.span.attributes,
    })),
  };
}

const OFFSET_WIDTH = 10;
const DURATION_WIDTH = 10;
const MIN_BAR = 10;
const MAX_NAME = 48;
const MIN_NAME = 16;

/** The terminal waterfall: one row per span, bars on a common time axis. */
export function renderWaterfall(trace: Trace, opts: ShowOptions): string {
  const report = showReport(trace);
  const { summary, coverage } = report;
  const serviceWidth = Math.max(...report.spans.map((s) => s.service.length));
  // Four columns and their 2-space separators; names give way to the bars down to MIN_NAME.
  const others = OFFSET_WIDTH + DURATION_WIDTH + serviceWidth + 8;
  const longestName = Math.max(...report.spans.map((s) => 2 * s.depth + s.name.length + 2));
  const nameWidth = Math.max(
    MIN_NAME,
    Math.min(MAX_NAME, longestName, opts.width - others - MIN_BAR),
  );
  const barWidth = Math.max(MIN_BAR, opts.width - others - nameWidth);
  const extentMs = nsToMs(trace.endNs - trace.startNs);

  const lines = [
    `trace ${summary.traceId}  ${summary.rootName}`,
    `started ${summary.start}  total ${formatMs(summary.totalMs)}  ${summary.spanCount} spans  ` +
      `services ${summary.services.join(', ')}`,
  ];
  const container = describeContainer(summary);
  if (container) lines.push(container);
  lines.push(
    `coverage ${formatPercent(coverage.ratio)} (${formatMs(coverage.coveredMs)} of ` +
      `${formatMs(coverage.rootMs)} inside ${summary.rootName})`,
    '',
  );
  for (const [i, span] of report.spans.entries()) {
    const node = trace.nodes[i]!;
    const label = fit(`${'  '.repeat(span.depth)}${markers(node)}${span.name}`, nameWidth);
    const bar = paint(
      drawBar(span.startOffsetMs, span.durationMs, extentMs, barWidth),
      span.service,
      opts.colour,
    );
    const row = [
      `+${span.startOffsetMs.toFixed(2)}`.padStart(OFFSET_WIDTH),
      label,
      bar,
      formatMs(span.durationMs).padStart(DURATION_WIDTH),
      paint(span.service.padEnd(serviceWidth), span.service, opts.colour),
      notes(node),
    ];
    lines.push(row.join('  ').trimEnd());
  }
  lines.push('', ...describeGaps(coverage, summary.rootName, opts.gaps));
  return lines.join('\n') + '\n';
}

function describeContainer(summary: TraceSummary): string {
  const parts: string[] = [];
  if (summary.containerId) parts.push(`container ${summary.containerId.slice(0, 12)}`);
  if (summary.image) parts.push(`image ${summary.image}`);
  if (summary.runtime) parts.push(`runtime ${summary.runtime}`);
  return parts.join('  ');
}

function markers(node: SpanNode): string {
  return node.span.status.code === 2 ? '! ' : '';
}

function notes(node: SpanNode): string {
  const out: string[] = [];
  if (node.span.status.code === 2) out.push(`error: ${node.span.status.message ?? 'unknown'}`);
  if (node.parentMissing) out.push('parent not in store');
  return out.join('; ');
}

/** A bar of `width` cells for [start, start + duration] on a 0..extent axis; at least one cell. */
export function drawBar(startMs: number, durMs: number, extentMs: number, width: number): string {
  const scale = extentMs > 0 ? width / extentMs : 0;
  const from = Math.min(width - 1, Math.floor(startMs * scale));
  const to = Math.max(from + 1, Math.min(width, Math.ceil((startMs + durMs) * scale)));
  return ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(width - to);
}

function describeGaps(coverage: Coverage, rootName: string, limit: number): string[] {
  const shown = coverage.gaps.slice(0, limit);
  if (shown.length === 0) return ['no unexplained gaps'];
  return [
    `largest unexplained gaps (${coverage.gaps.length} in all):`,
    ...shown.map(
      (g) =>
        `  ${formatMs(g.durationMs).padStart(DURATION_WIDTH)} at +${g.startMs.toFixed(2)} ms  ` +
        describeGap(g, rootName),
    ),
  ];
}
