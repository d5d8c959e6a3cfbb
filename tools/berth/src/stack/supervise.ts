// Starts and stops stack services as detached background processes, tracked by pid files.
// This is the development path; under systemd the units own the processes instead.
import { spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ServiceSpec } from './services';

export interface StackDirs {
  /** Pid files live here. */
  runDir: string;
  /** Each service's stderr (its JSON log lines) is appended to <logDir>/<name>.log. */
  logDir: string;
}

export const DEFAULT_DIRS: StackDirs = {
  runDir: process.env.BERTH_RUN_DIR ?? '/run/berth',
  logDir: process.env.BERTH_LOG_DIR ?? '/var/log/berth',
};

export function findOnPath(binary: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function pidFile(dirs: StackDirs, spec: ServiceSpec): string {
  return join(dirs.runDir, `${spec.name}.pid`);
}

/** The pid of the service if its pid file names a live process running its binary. */
export function runningPid(dirs: StackDirs, spec: ServiceSpec): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile(dirs, spec), 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    // Guard against pid reuse: the process must still be our service.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(spec.binary) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function startDetached(dirs: StackDirs, spec: ServiceSpec, executable: string): number {
  mkdirSync(dirs.runDir, { recursive: true });
  mkdirSync(dirs.logDir, { recursive: true });
  const log = openSync(join(dirs.logDir, `${spec.name}.log`), 'a');
  const child = spawn(executable, [], { detached: true, stdio: ['ignore', log, log] });
  if (child.pid === undefined) throw new Error(`could not start ${executable}`);
  child.unref();
  writeFileSync(pidFile(dirs, spec), `${child.pid}\n`);
  return child.pid;
}

/** Sends SIGTERM, waits for the process to go, then SIGKILL; removes the pid file. */
export async function stop(dirs: StackDirs, spec: ServiceSpec, graceMs = 10_000): Promise<boolean> {
  const pid = runningPid(dirs, spec);
  if (pid === undefined) {
    rmSync(pidFile(dirs, spec), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isAlive(pid)) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(dirs, spec), { force: true });
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0 until its parent reaps it; count it as gone.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
