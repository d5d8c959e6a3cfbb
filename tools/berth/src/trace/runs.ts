import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { TraceCommandError } from './errors';
import { loadStore, type Trace } from './model';
import type { Sample } from './compare';

export interface RunOptions {
  commands: readonly string[];
  runs: number;
  dir: string;
  /** How long to wait after the last run for services to flush their spans (500 ms batches). */
  settleMs: number;
  env?: NodeJS.ProcessEnv;
}

interface Window {
  command: number;
  startNs: bigint;
  endNs: bigint;
  wallMs: number;
}

const OUTPUT_KEPT = 4096;

/** Runs `command` with sh, quietly; a failing run is an error that quotes the end of its output. */
async function runOnce(command: string, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve(signal ? null : status));
  });
  if (code !== 0) {
    throw new TraceCommandError(
      `'${command}' ${code === null ? 'was killed' : `exited with ${code}`}:\n${output.trimEnd()}`,
    );
  }
}

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/**
 * Runs every command `runs` times, interleaved (a b a b …) so that drift in the machine's load
 * touches both alike, and gives each command its samples: the traces whose root span started
 * while that run was under way. BERTH_TRACE_DIR is set to the store for the commands, so that
 * berth executables they start directly record into it; daemons keep their own setting.
 */
export async function runAndCollect(opts: RunOptions): Promise<Sample[][]> {
  const env = { ...(opts.env ?? process.env), BERTH_TRACE_DIR: opts.dir };
  const windows: Window[] = [];
  for (let run = 0; run < opts.runs; run++) {
    for (const [command, text] of opts.commands.entries()) {
      const startNs = nowNs();
      const started = performance.now();
      await runOnce(text, env);
      const wallMs = performance.now() - started;
      // Date.now() truncates to the millisecond: round the end up so a root that started in the
      // run's last millisecond still falls inside.
      windows.push({ command, startNs, endNs: nowNs() + 1_000_000n, wallMs });
    }
  }
  await sleep(opts.settleMs);
  const since = new Date(Number(windows[0]!.startNs / 1_000_000n));
  // Commands that trace nothing (Docker itself) leave no store behind: their samples have
  // only a wall time.
  const { traces } = await loadStore({ dir: opts.dir, since, missingOk: true });
  return opts.commands.map((_, command) =>
    windows
      .filter((w) => w.command === command)
      .map((w) => ({ wallMs: w.wallMs, traces: tracesIn(traces, w) })),
  );
}

function tracesIn(traces: readonly Trace[], w: Window): Trace[] {
  return traces.filter((t) => t.root.startNs >= w.startNs && t.root.startNs <= w.endNs);
}
