// `berth trace …`: reads the embedded span store and renders container starts.
import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { compareSamples, renderComparison, type Sample } from './compare';
import { TraceCommandError, TraceUsageError } from './errors';
import { matchesFilter, parseFilter } from './filter';
import { renderHtml } from './html';
import { renderList } from './ls';
import { loadStore, selectTrace, storeDir, summarize, type LoadedStore, type Trace } from './model';
import { runAndCollect } from './runs';
import { phaseStats, renderStats } from './stats';
import { renderWaterfall, showReport } from './show';
import { renderSvg } from './svg';

export const TRACE_USAGE = `usage: berth trace <command> [options]

commands:
  ls [--last N] [--since 10m|ISO] [--where K=V,…]   recent container starts (default last 20)
  show <id|latest> [--width N] [--gaps N]           waterfall, coverage and largest unexplained gaps
  stats [--last N] [--name-filter RE] [--where …]   per-phase count, p50, p95, max (default last 100)
  export <id|latest> (--svg FILE | --html FILE)     self-contained waterfall picture
  compare (--a CMD | --a-traces K=V,…) (--b CMD | --b-traces K=V,…) [-n N] [--last N] [--settle MS]
                                                    per-phase median differences, B against A

every command: --json (machine-readable output), --dir DIR (store; default $BERTH_TRACE_DIR or
/var/lib/berth/traces). Filter keys: attribute keys or id, image, runtime, namespace, service, name.
`;

/** Where output goes; the CLI passes process.stdout/stderr, tests pass buffers. */
export interface TraceIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

const COMMON = {
  json: { type: 'boolean' },
  dir: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const OPTIONS = {
  ls: { ...COMMON, last: { type: 'string' }, since: { type: 'string' }, where: { type: 'string' } },
  show: { ...COMMON, width: { type: 'string' }, gaps: { type: 'string' } },
  stats: {
    ...COMMON,
    last: { type: 'string' },
    'name-filter': { type: 'string' },
    where: { type: 'string' },
  },
  export: { ...COMMON, svg: { type: 'string' }, html: { type: 'string' } },
  compare: {
    ...COMMON,
    a: { type: 'string' },
    b: { type: 'string' },
    'a-traces': { type: 'string' },
    'b-traces': { type: 'string' },
    n: { type: 'string', short: 'n' },
    last: { type: 'string' },
    settle: { type: 'string' },
  },
} as const satisfies Record<string, ParseArgsConfig['options']>;

type Command = keyof typeof OPTIONS;

/** Runs one trace command; returns the exit code (2: bad usage, 1: nothing to show). */
export async function runTrace(args: readonly string[], io: TraceIo): Promise<number> {
  try {
    await dispatch(args, io);
    return 0;
  } catch (err) {
    if (err instanceof TraceUsageError) {
      io.stderr.write(`berth trace: ${err.message}\n${TRACE_USAGE}`);
      return 2;
    }
    if (err instanceof TraceCommandError) {
      io.stderr.write(`berth trace: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

function parse<C extends Command>(command: C, args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: OPTIONS[command],
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new TraceUsageError((err as Error).message);
  }
}

async function dispatch(args: readonly string[], io: TraceIo): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined) throw new TraceUsageError('missing command');
  if (command === 'help' || command === '--help') {
    io.stdout.write(TRACE_USAGE);
    return;
  }
  if (!(command in OPTIONS)) throw new TraceUsageError(`unknown command '${command}'`);
  const print = (json: boolean | undefined, value: unknown, text: () => string) =>
    io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text());
  const dirOf = (dir: string | undefined) => storeDir(dir, io.env);

  switch (command as Command) {
    case 'ls': {
      const { values, positionals } = parse('ls', rest);
      noPositionals(positionals);
      const since = values.since === undefined ? undefined : parseSince(values.since);
      const store = await loadStore({ dir: dirOf(values.dir), ...(since ? { since } : {}) });
      warnMalformed(store, io);
      const rows = lastMatching(store, values.where, count(values.last, 20, '--last')).map(
        summarize,
      );
      print(values.json, rows, () => renderList(rows));
      return;
    }
    case 'show': {
      const { values, positionals } = parse('show', rest);
      const trace = await pickTrace(dirOf(values.dir), onePositional(positionals), io);
      const width = count(values.width, io.stdout.columns ?? 120, '--width');
      const colour = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
      print(values.json, showReport(trace), () =>
        renderWaterfall(trace, { width, colour, gaps: count(values.gaps, 3, '--gaps', 0) }),
      );
      return;
    }
    case 'stats': {
      const { values, positionals } = parse('stats', rest);
      noPositionals(positionals);
      const nameFilter =
        values['name-filter'] === undefined ? undefined : regex(values['name-filter']);
      const store = await loadStore({ dir: dirOf(values.dir) });
      warnMalformed(store, io);
      const traces = lastMatching(store, values.where, count(values.last, 100, '--last'));
      if (traces.length === 0) throw new TraceCommandError(`no traces in ${store.dir} match`);
      const report = phaseStats(traces, nameFilter);
      print(values.json, report, () => renderStats(report));
      return;
    }
    case 'export': {
      const { values, positionals } = parse('export', rest);
      if ((values.svg === undefined) === (values.html === undefined)) {
        throw new TraceUsageError('export takes exactly one of --svg FILE or --html FILE');
      }
      const trace = await pickTrace(dirOf(values.dir), onePositional(positionals), io);
      const report = showReport(trace);
      const file = (values.svg ?? values.html)!;
      await writeWhole(file, values.svg !== undefined ? renderSvg(report) : renderHtml(report));
      const result = {
        traceId: trace.traceId,
        format: values.svg !== undefined ? 'svg' : 'html',
        file,
      };
      print(values.json, result, () => `wrote ${file} (trace ${trace.traceId})\n`);
      return;
    }
    case 'compare': {
      const { values, positionals } = parse('compare', rest);
      noPositionals(positionals);
      const dir = dirOf(values.dir);
      const a = sideSpec('a', values.a, values['a-traces']);
      const b = sideSpec('b', values.b, values['b-traces']);
      const runs = count(values.n, 5, '-n');
      const last = count(values.last, 20, '--last');
      const commandSides = [a, b].filter((s) => s.kind === 'command');
      const ran = commandSides.length
        ? await runAndCollect({
            commands: commandSides.map((s) => s.text),
            runs,
            dir,
            settleMs: count(values.settle, 1000, '--settle', 0),
            env: io.env,
          })
        : [];
      const store = [a, b].some((s) => s.kind === 'traces') ? await loadStore({ dir }) : undefined;
      const samplesOf = (s: SideSpec): Sample[] => {
        if (s.kind === 'command') return ran[commandSides.indexOf(s)]!;
        const traces = lastMatching(store!, s.text, last);
        if (traces.length === 0) throw new TraceCommandError(`no traces in ${dir} match ${s.text}`);
        return traces.map((t) => ({ traces: [t] }));
      };
      const report = compareSamples(
        { label: a.text, samples: samplesOf(a) },
        { label: b.text, samples: samplesOf(b) },
      );
      print(values.json, report, () => renderComparison(report));
      return;
    }
  }
}

interface SideSpec {
  kind: 'command' | 'traces';
  text: string;
}

function sideSpec(
  side: 'a' | 'b',
  command: string | undefined,
  traces: string | undefined,
): SideSpec {
  if ((command === undefined) === (traces === undefined)) {
    throw new TraceUsageError(
      `compare takes exactly one of --${side} CMD or --${side}-traces FILTER`,
    );
  }
  if (traces !== undefined) parseFilter(traces);
  return command !== undefined
    ? { kind: 'command', text: command }
    : { kind: 'traces', text: traces! };
}

/** Writes `file` through a temporary name, so that a failed export leaves nothing behind. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw new TraceCommandError(`cannot write ${file}: ${(err as Error).message}`);
  }
}

async function pickTrace(dir: string, ref: string, io: TraceIo): Promise<Trace> {
  const store = await loadStore({ dir });
  warnMalformed(store, io);
  return selectTrace(store, ref);
}

/** The newest `last` traces that match `where`, oldest first. */
function lastMatching(store: LoadedStore, where: string | undefined, last: number): Trace[] {
  const conditions = where === undefined ? [] : parseFilter(where);
  return store.traces.filter((t) => matchesFilter(t, conditions)).slice(-last);
}

function warnMalformed(store: LoadedStore, io: TraceIo): void {
  if (store.malformed > 0) {
    io.stderr.write(
      `berth trace: skipped ${store.malformed} malformed span records in ${store.dir}\n`,
    );
  }
}

function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new TraceUsageError(`unexpected argument '${positionals[0]}'`);
}

function onePositional(positionals: string[]): string {
  if (positionals.length !== 1)
    throw new TraceUsageError('give one trace id (or a prefix) or latest');
  return positionals[0]!;
}

function count(text: string | undefined, fallback: number, flag: string, min = 1): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new TraceUsageError(`${flag} must be an integer >= ${min}, not '${text}'`);
  }
  return value;
}

function regex(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (err) {
    throw new TraceUsageError(`--name-filter: ${(err as Error).message}`);
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 10m` (s, m, h, d ago) or an ISO 8601 instant. */
export function parseSince(text: string, now = Date.now()): Date {
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2]!]!);
  const at = new Date(text);
  if (!/^\d{4}-\d\d-\d\d/.test(text) || Number.isNaN(at.getTime())) {
    throw new TraceUsageError(`--since must be like 10m, 2h, 1d or an ISO date, not '${text}'`);
  }
  return at;
}
