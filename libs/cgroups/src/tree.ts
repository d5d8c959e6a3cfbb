// Operations on a cgroup directory together with its descendants, shared by both backends.
import { posix } from 'node:path';
import { isCode } from './errors';
import type { CgroupFs } from './fs';
import type { CgroupManager, ProcessControl, Timing } from './manager';
import { parsePids } from './parse';
import { retry, waitUntil } from './wait';

/** Child cgroup directories of `dir`, deepest first, followed by `dir` itself. */
async function postOrder(fs: CgroupFs, dir: string): Promise<string[]> {
  const order: string[] = [];
  for (const entry of await fs.readdir(dir)) {
    if (entry.isDirectory) order.push(...(await postOrder(fs, posix.join(dir, entry.name))));
  }
  order.push(dir);
  return order;
}

export function dirExists(fs: CgroupFs, dir: string): Promise<boolean> {
  return fs.exists(dir);
}

/** Every pid in `dir` and below; a missing cgroup has none. */
export async function collectPids(fs: CgroupFs, dir: string): Promise<number[]> {
  if (!(await dirExists(fs, dir))) return [];
  const pids: number[] = [];
  for (const d of await postOrder(fs, dir)) {
    pids.push(...parsePids(await fs.readFile(posix.join(d, 'cgroup.procs'))));
  }
  return pids;
}

/** Removes `dir` and its descendants; EBUSY (tasks still exiting) is retried until the timeout. */
export async function removeTree(fs: CgroupFs, dir: string, timing: Timing): Promise<void> {
  if (!(await dirExists(fs, dir))) return;
  for (const d of await postOrder(fs, dir)) {
    await retry(
      async () => {
        try {
          await fs.rmdir(d);
        } catch (err) {
          if (!isCode(err, 'ENOENT')) throw err;
        }
      },
      (err) => isCode(err, 'EBUSY'),
      timing,
    );
  }
}

/** Writes a pid to cgroup.procs, retrying EINVAL: a task still in TASK_NEW cannot move yet. */
export async function writePid(fs: CgroupFs, dir: string, pid: number, timing: Timing) {
  if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`invalid pid ${pid}`);
  await retry(
    () => fs.writeFile(posix.join(dir, 'cgroup.procs'), String(pid)),
    (err) => isCode(err, 'EINVAL'),
    { pollMs: 30, timeoutMs: Math.min(timing.timeoutMs, 150) },
  );
}

/** Sends `signal` to each pid; a pid that exited meanwhile is no error. */
export function signalEach(
  processes: ProcessControl,
  pids: number[],
  signal: NodeJS.Signals | number,
) {
  for (const pid of pids) {
    try {
      processes.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}

export const isSigkill = (signal: NodeJS.Signals | number) => signal === 'SIGKILL' || signal === 9;

/**
 * Signals every process of a cgroup one by one. Frozen, its set of pids cannot change between
 * listing and signalling (no fork escapes); thawing afterwards lets the signals be delivered.
 */
export async function signalAll(
  cgroup: Pick<CgroupManager, 'freeze' | 'thaw' | 'pids'>,
  canFreeze: boolean,
  processes: ProcessControl,
  signal: NodeJS.Signals | number,
): Promise<void> {
  if (canFreeze) await cgroup.freeze();
  try {
    signalEach(processes, await cgroup.pids(), signal);
  } finally {
    if (canFreeze) await cgroup.thaw();
  }
}

/** After a SIGKILL: resolves once the cgroup has no processes left. */
export function waitEmpty(cgroup: Pick<CgroupManager, 'pids' | 'path'>, timing: Timing) {
  return waitUntil(
    async () => (await cgroup.pids()).length === 0,
    timing,
    `${cgroup.path} to empty`,
  );
}
