// Runs native/berth-launch for a plan: sends the plan over fd 3 and follows its progress
// lines until the container process is ready (set up, waiting on the exec fifo or exec'd).
import { spawn, type StdioNull, type StdioPipe } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { nativeBinary } from '../native/locate';
import { encodePlan } from '../plan/encode';
import type { LaunchPlan } from '../plan/types';

/** One of the container process's stdio: inherit/ignore/pipe, or an fd of ours. */
export type Stdio = StdioNull | StdioPipe | number;

export class LaunchError extends Error {
  override name = 'LaunchError';
}

/** CLOCK_REALTIME nanoseconds at which the launcher passed each phase (for child spans). */
export type PhaseTimes = Record<string, bigint>;

export interface Launched {
  /** The container process, as the host sees it. */
  pid: number;
  /** The launcher's own pid (the process's parent in foreground mode). */
  launcherPid: number;
  times: PhaseTimes;
  /** The launcher's exit: 0 once a background launch is handed over, else the process's status. */
  exited: Promise<number>;
}

export interface LaunchOptions {
  /** stdin, stdout, stderr for the container process (default: inherit ours). */
  stdio?: [Stdio, Stdio, Stdio];
  /** Called once the launcher is running and before it reads the plan (cgroup join). */
  onSpawn?: (launcherPid: number) => Promise<void>;
  /** prestart/createRuntime hooks: after mounts, before pivot_root; the pid is known. */
  onHooks?: (pid: number) => Promise<void>;
}

function parseLines(
  text: string,
  times: PhaseTimes,
): { pid?: number; ready: boolean; error?: string; hooks: boolean } {
  const out: { pid?: number; ready: boolean; error?: string; hooks: boolean } = {
    ready: false,
    hooks: false,
  };
  for (const line of text.split('\n')) {
    const [word, ...rest] = line.split(' ');
    if (word === 'time' && rest.length === 2) times[rest[0] as string] = BigInt(rest[1] as string);
    else if (word === 'pid') out.pid = Number(rest[0]);
    else if (word === 'ready') out.ready = true;
    else if (word === 'hooks') out.hooks = true;
    else if (word === 'error') out.error = rest.join(' ');
  }
  return out;
}

export function launch(plan: LaunchPlan, opts: LaunchOptions = {}): Promise<Launched> {
  const [i, o, e] = opts.stdio ?? ['inherit', 'inherit', 'inherit'];
  const child = spawn(nativeBinary('berth-launch'), [], {
    stdio: [i, o, e, 'pipe'],
    env: {},
  });
  const channel = child.stdio[3] as Duplex;
  const exited = new Promise<number>((res) =>
    child.on('exit', (code, signal) => res(code ?? 128 + (signal ? 9 : 0))),
  );
  return new Promise<Launched>((resolve, reject) => {
    const times: PhaseTimes = {};
    let pid: number | undefined;
    let error: string | undefined;
    let ready = false;
    let pending = '';
    child.on('error', (err) => reject(new LaunchError(`berth-launch: ${err.message}`)));
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
      if (ready && pid !== undefined) resolve({ pid, launcherPid: child.pid ?? 0, times, exited });
      else
        exited.then((code) =>
          reject(
            new LaunchError(
              error ?? `berth-launch exited with status ${code} before the process was ready`,
            ),
          ),
        );
    });
    channel.on('error', () => {
      /* 'close' reports */
    });
    const pidOfLauncher = child.pid;
    if (pidOfLauncher === undefined) return;
    (opts.onSpawn?.(pidOfLauncher) ?? Promise.resolve()).then(
      () => channel.write(encodePlan(plan)),
      (err: Error) => {
        child.kill('SIGKILL');
        error = err.message;
      },
    );
  });
}
