import { formatMs, renderTable } from './format';
import { durationMs, nsToMs, type Trace } from './model';

export interface PhaseStats {
  name: string;
  /** Spans of that name (a phase may run more than once per start). */
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Median start offset from the trace root: phases are listed in the order they run. */
  medianStartMs: number;
}

export interface StatsReport {
  traces: number;
  phases: PhaseStats[];
}

/** Nearest-rank percentile (the value below which `p`% of the samples fall) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Per span name: count, p50, p95 and max duration over `traces`. */
export function phaseStats(traces: readonly Trace[], nameFilter?: RegExp): StatsReport {
  const durations = new Map<string, number[]>();
  const starts = new Map<string, number[]>();
  for (const trace of traces) {
    for (const node of trace.nodes) {
      const name = node.span.name;
      if (nameFilter && !nameFilter.test(name)) continue;
      push(durations, name, durationMs(node));
      push(starts, name, nsToMs(node.startNs - trace.root.startNs));
    }
  }
  const phases = [...durations.entries()].map(([name, values]) => {
    const sorted = values.sort((a, b) => a - b);
    return {
      name,
      count: sorted.length,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      maxMs: sorted.at(-1)!,
      medianStartMs: median(starts.get(name)!),
    };
  });
  phases.sort((a, b) => a.medianStartMs - b.medianStartMs || a.name.localeCompare(b.name));
  return { traces: traces.length, phases };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

export function renderStats(report: StatsReport): string {
  const table = renderTable(
    ['PHASE', 'COUNT', 'P50', 'P95', 'MAX'],
    report.phases.map((p) => [
      p.name,
      String(p.count),
      formatMs(p.p50Ms),
      formatMs(p.p95Ms),
      formatMs(p.maxMs),
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
  return `${report.traces} traces\n${table}\n`;
}
