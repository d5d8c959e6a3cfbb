import { formatDeltaMs, formatMs, renderTable } from './format';
import { durationMs, nsToMs, type Trace } from './model';
import { median } from './stats';

/** One measured start: the traces one command run produced, or one stored trace. */
export interface Sample {
  traces: Trace[];
  /** Wall time of the command, when the sample is a run. */
  wallMs?: number;
}

export interface SideSummary {
  label: string;
  samples: number;
  traces: number;
  /** Median command wall time; null for stored trace sets. */
  wallMs: number | null;
}

export interface PhaseDiff {
  name: string;
  /** Median over the samples that have the phase; null when no sample of that side has it. */
  aMs: number | null;
  bMs: number | null;
  /** b - a */
  diffMs: number | null;
  /** b / a */
  ratio: number | null;
  aSamples: number;
  bSamples: number;
}

export interface CompareReport {
  a: SideSummary;
  b: SideSummary;
  phases: PhaseDiff[];
}

interface PhaseSamples {
  /** Per sample: total time in spans of that name (a phase may run more than once). */
  totals: number[];
  /** Per sample: offset of its first span of that name from the sample's first root. */
  starts: number[];
}

function phasesOf(samples: readonly Sample[]): Map<string, PhaseSamples> {
  const phases = new Map<string, PhaseSamples>();
  for (const sample of samples) {
    const origin = sample.traces.reduce<bigint | undefined>(
      (min, t) => (min === undefined || t.root.startNs < min ? t.root.startNs : min),
      undefined,
    );
    const totals = new Map<string, number>();
    const starts = new Map<string, number>();
    for (const node of sample.traces.flatMap((t) => t.nodes)) {
      const name = node.span.name;
      totals.set(name, (totals.get(name) ?? 0) + durationMs(node));
      const start = nsToMs(node.startNs - origin!);
      starts.set(name, Math.min(starts.get(name) ?? Infinity, start));
    }
    for (const [name, total] of totals) {
      const phase = phases.get(name) ?? { totals: [], starts: [] };
      phase.totals.push(total);
      phase.starts.push(starts.get(name)!);
      phases.set(name, phase);
    }
  }
  return phases;
}

function side(label: string, samples: readonly Sample[]): SideSummary {
  const walls = samples.flatMap((s) => (s.wallMs === undefined ? [] : [s.wallMs]));
  return {
    label,
    samples: samples.length,
    traces: samples.reduce((n, s) => n + s.traces.length, 0),
    wallMs: walls.length > 0 ? median(walls) : null,
  };
}

/** Per-phase median differences between two sets of samples, phases in the order they run. */
export function compareSamples(
  a: { label: string; samples: readonly Sample[] },
  b: { label: string; samples: readonly Sample[] },
): CompareReport {
  const pa = phasesOf(a.samples);
  const pb = phasesOf(b.samples);
  const names = [...new Set([...pa.keys(), ...pb.keys()])];
  const startOf = (name: string) =>
    median([...(pa.get(name)?.starts ?? []), ...(pb.get(name)?.starts ?? [])]);
  names.sort((x, y) => startOf(x) - startOf(y) || x.localeCompare(y));
  const phases = names.map((name): PhaseDiff => {
    const aMs = pa.has(name) ? median(pa.get(name)!.totals) : null;
    const bMs = pb.has(name) ? median(pb.get(name)!.totals) : null;
    return {
      name,
      aMs,
      bMs,
      diffMs: aMs !== null && bMs !== null ? bMs - aMs : null,
      ratio: aMs !== null && bMs !== null && aMs > 0 ? bMs / aMs : null,
      aSamples: pa.get(name)?.totals.length ?? 0,
      bSamples: pb.get(name)?.totals.length ?? 0,
    };
  });
  return { a: side(a.label, a.samples), b: side(b.label, b.samples), phases };
}

export function renderComparison(report: CompareReport): string {
  const { a, b } = report;
  const ms = (v: number | null) => (v === null ? '-' : formatMs(v));
  const rows: string[][] = [];
  if (a.wallMs !== null || b.wallMs !== null) {
    const diff = a.wallMs !== null && b.wallMs !== null ? b.wallMs - a.wallMs : null;
    rows.push([
      '(command wall time)',
      ms(a.wallMs),
      ms(b.wallMs),
      diff === null ? '-' : formatDeltaMs(diff),
      ratioText(a.wallMs, b.wallMs),
    ]);
  }
  for (const p of report.phases) {
    rows.push([
      p.name,
      ms(p.aMs),
      ms(p.bMs),
      p.diffMs === null ? '-' : formatDeltaMs(p.diffMs),
      ratioText(p.aMs, p.bMs),
    ]);
  }
  const table = renderTable(['PHASE (median)', 'A', 'B', 'B-A', 'B/A'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
  ]);
  return (
    `A: ${a.label}  (${a.samples} samples, ${a.traces} traces)\n` +
    `B: ${b.label}  (${b.samples} samples, ${b.traces} traces)\n${table}\n`
  );
}

function ratioText(a: number | null, b: number | null): string {
  return a !== null && b !== null && a > 0 ? `${(b / a).toFixed(2)}x` : '-';
}
