// Runs native/berth-launch for a plan: sends the plan over fd 3 and follows its progress
// lines until the container process is ready (set up, waiting on the exec fifo or exec'd).
import type { StdioNull, StdioPipe } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { nativeBinary } from '../native/locate';
import { encodePlan } from '../plan/encode';
import type { LaunchPlan } from '../plan/types';

/** One of the container process's stdio: inherit/ignore/pipe, or an fd of ours. */
export type Stdio = StdioNull | StdioPipe | number;

export class LaunchError extends Error {
  override name = 'LaunchError';
}

/**
 * When the launch passed the end of each phase, in order: CLOCK_REALTIME nanoseconds. A phase
 * begins at the previous stamp; the first stamp (`begin`, taken here) only marks the start.
 */
export interface PhaseStamp {
  phase: string;
  ns: bigint;
}

/** One launch phase as an interval, ready to become a child span. */
export interface LaunchPhase {
  phase: string;
  startNs: bigint;
  endNs: bigint;
}

/** The launch phases between consecutive stamps, named by the stamp that ends each. */
export function launchPhases(stamps: readonly PhaseStamp[]): LaunchPhase[] {
  return stamps.slice(1).map((s, i) => ({
    phase: s.phase,
    startNs: stamps[i]!.ns,
    endNs: s.ns < stamps[i]!.ns ? stamps[i]!.ns : s.ns,
  }));
}

/** The launch phases as child spans of a runtime command, named `runtime.launch.<phase>` as
 * docs/tracing.md lists them, each with the command's attributes. */
export function launchSpans<A>(stamps: readonly PhaseStamp[], attributes: A) {
  return launchPhases(stamps).map((p) => ({
    name: `runtime.launch.${p.phase}`,
    startNs: p.startNs,
    endNs: p.endNs,
    attributes,
  }));
}

export interface Launched {
  /** The container process, as the host sees it. */
  pid: number;
  times: PhaseStamp[];
  /** The launcher's exit: 0 once a background launch is handed over, else the process's status. */
  exited: Promise<number>;
}

/** A started launcher: fd 3 of it is `channel`'s peer. */
export interface SpawnedLauncher {
  channel: Duplex;
  /** Its exit status; rejects if it could not be started. */
  exited: Promise<number>;
}

/**
 * Starts the launcher binary with a socket to us as its fd 3. The default makes it our child;
 * a shim instead starts it under the monitor that is to parent the container process.
 */
export type SpawnLauncher = (binary: string) => SpawnedLauncher;

export interface LaunchOptions {
  /** stdin, stdout, stderr for the container process (default: inherit ours). */
  stdio?: [Stdio, Stdio, Stdio];
  /** prestart/createRuntime hooks: after mounts, before pivot_root; the pid is known. */
  onHooks?: (pid: number) => Promise<void>;
  /** Starts the launcher elsewhere than as our child (then `stdio` is the spawner's affair). */
  spawn?: SpawnLauncher;
  /** The launcher executable (default: native/build/berth-launch; see sealedLauncher()). */
  binary?: string;
}

function parseLines(
  text: string,
  times: PhaseStamp[],
): { pid?: number; ready: boolean; error?: string; hooks: boolean } {
  const out: { pid?: number; ready: boolean; error?: string; hooks: boolean } = {
    ready: false,
    hooks: false,
  };
  for (const line of text.split('\n')) {
    const [word, ...rest] = line.split(' ');
    if (word === 'time' && rest.length === 2 && /^\d{1,20}$/.test(rest[1]!))
      times.push({ phase: rest[0]!, ns: BigInt(rest[1]!) });
    else if (word === 'pid') out.pid = Number(rest[0]);
    else if (word === 'ready') out.ready = true;
    else if (word === 'hooks') out.hooks = true;
    else if (word === 'error') out.error = rest.join(' ');
  }
  return out;
}

/**
 * CLOCK_REALTIME now, in nanoseconds, comparable with the launcher's stamps. Date.now() reads
 * the same clock (to the millisecond, rounded down, so the stamp never follows the launch);
 * performance.now() would drift from it in a long-lived process.
 */
function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** The default SpawnLauncher: our child, with the given stdio and a pipe as fd 3. */
async function spawnChild(binary: string, stdio: LaunchOptions['stdio']): Promise<SpawnedLauncher> {
  // Loaded here, not at start-up: state, kill, start and delete never spawn.
  const { spawn } = await import('node:child_process');
  const [i, o, e] = stdio ?? ['inherit', 'inherit', 'inherit'];
  const child = spawn(binary, [], { stdio: [i, o, e, 'pipe'], env: {} });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? 9 : 0)));
  });
  return { channel: child.stdio[3] as Duplex, exited };
}

export async function launch(plan: LaunchPlan, opts: LaunchOptions = {}): Promise<Launched> {
  const times: PhaseStamp[] = [{ phase: 'begin', ns: wallClockNs() }];
  const binary = opts.binary ?? nativeBinary('berth-launch');
  const { channel, exited } = opts.spawn
    ? opts.spawn(binary)
    : await spawnChild(binary, opts.stdio);
  const started = exited.then(
    () => undefined,
    (err: Error) => new LaunchError(`berth-launch: ${err.message}`),
  );
  return new Promise<Launched>((resolve, reject) => {
    let pid: number | undefined;
    let error: string | undefined;
    let ready = false;
    let pending = '';
    void started.then((failure) => failure && reject(failure));
    channel.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const cut = pending.lastIndexOf('\n') + 1;
      const got = parseLines(pending.slice(0, cut), times);
      pending = pending.slice(cut);
      pid ??= got.pid;
      error ??= got.error;
      ready ||= got.ready;
      if (got.hooks && pid !== undefined) {
        (opts.onHooks?.(pid) ?? Promise.resolve()).then(
          () => channel.write('g'),
          (err: Error) => {
            error = err.message;
            channel.destroy();
          },
        );
      }
    });
    channel.on('close', () => {
      if (ready && pid !== undefined) resolve({ pid, times, exited });
      else
        exited.then(
          (code) =>
            reject(
              new LaunchError(
                error ?? `berth-launch exited with status ${code} before the process was ready`,
              ),
            ),
          () => {}, // `started` reports
        );
    });
    channel.on('error', () => {
      /* 'close' reports */
    });
    // Sent at once: the launcher joins the cgroup itself (the plan's cgroupJoin files).
    channel.write(encodePlan(plan));
  });
}
