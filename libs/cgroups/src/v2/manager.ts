import { posix } from 'node:path';
import { CgroupDir } from '../cgroup-dir';
import { CgroupError, isCode } from '../errors';
import type { CgroupFs } from '../fs';
import { hierarchyDir, type HierarchyMount } from '../host';
import type { CgroupManager, FreezerState, ProcessControl, Timing } from '../manager';
import type { LinuxResources } from '../spec';
import type { V2Metrics } from '../stats';
import {
  collectPids,
  dirExists,
  isSigkill,
  removeTree,
  signalAll,
  waitEmpty,
  writePid,
} from '../tree';
import { waitUntil } from '../wait';
import { applyV2 } from './resources';
import { readV2Stats } from './stats';

export interface V2ManagerOptions {
  fs: CgroupFs;
  processes: ProcessControl;
  timing: Timing;
}

/** A cgroup in the unified (v2) hierarchy. */
export class V2Manager implements CgroupManager {
  readonly version = 2;
  private readonly cg: CgroupDir;

  constructor(
    private readonly mount: HierarchyMount,
    /** Resolved path inside the hierarchy. */
    readonly path: string,
    private readonly options: V2ManagerOptions,
  ) {
    this.cg = new CgroupDir(options.fs, hierarchyDir(mount, path));
  }

  get dir(): string {
    return this.cg.dir;
  }

  async create(): Promise<void> {
    const { fs } = this.options;
    const levels = ancestry(this.mount.mountpoint, this.cg.dir);
    const created: string[] = [];
    try {
      for (const [i, dir] of levels.entries()) {
        if (i > 0 && !(await dirExists(fs, dir))) {
          await fs.mkdir(dir);
          created.push(dir);
        }
        // Controllers reach a cgroup only through every ancestor's subtree_control.
        if (i < levels.length - 1) await enableControllers(new CgroupDir(fs, dir));
      }
    } catch (err) {
      // Leave nothing half-made behind.
      for (const dir of created.reverse()) await fs.rmdir(dir).catch(() => undefined);
      throw err;
    }
  }

  apply(resources: LinuxResources): Promise<void> {
    return applyV2(this.cg, resources);
  }

  addProcess(pid: number): Promise<void> {
    return writePid(this.options.fs, this.cg.dir, pid, this.options.timing);
  }

  /** cgroup.procs: cgroup.threads only moves a thread within its resource domain. */
  joinFiles(): string[] {
    return [posix.join(this.cg.dir, 'cgroup.procs')];
  }

  pids(): Promise<number[]> {
    return collectPids(this.options.fs, this.cg.dir);
  }

  stats(): Promise<V2Metrics> {
    return readV2Stats(this.cg);
  }

  async freeze(): Promise<void> {
    await this.setFrozen(true);
  }

  async thaw(): Promise<void> {
    await this.setFrozen(false);
  }

  async state(): Promise<FreezerState> {
    const wanted = (await this.cg.tryRead('cgroup.freeze'))?.trim() === '1';
    if (!wanted) return 'thawed';
    return (await this.isFrozen()) ? 'frozen' : 'freezing';
  }

  async killAll(signal: NodeJS.Signals | number = 'SIGKILL'): Promise<void> {
    if (!(await this.exists())) return;
    if (isSigkill(signal) && (await this.cg.has('cgroup.kill'))) {
      // One write kills the whole subtree atomically, including tasks forked meanwhile.
      await this.cg.write('cgroup.kill', '1');
    } else {
      // Without cgroup.kill (< 5.14), or for other signals, one by one.
      const canFreeze = await this.cg.has('cgroup.freeze');
      await signalAll(this, canFreeze, this.options.processes, signal);
    }
    if (isSigkill(signal)) await waitEmpty(this, this.options.timing);
  }

  delete(): Promise<void> {
    return removeTree(this.options.fs, this.cg.dir, this.options.timing);
  }

  exists(): Promise<boolean> {
    return dirExists(this.options.fs, this.cg.dir);
  }

  private async setFrozen(frozen: boolean): Promise<void> {
    const value = frozen ? '1' : '0';
    await this.cg.write('cgroup.freeze', value);
    await waitUntil(
      async () => (await this.isFrozen()) === frozen,
      this.options.timing,
      `${this.cg.file('cgroup.events')} to report frozen ${value}`,
    );
  }

  /** cgroup.events "frozen 1" once every task in the subtree has stopped. */
  private async isFrozen(): Promise<boolean> {
    const events = await this.cg.read('cgroup.events');
    return /^frozen 1$/m.test(events);
  }
}

/** The mountpoint and every directory from it down to `dir`. */
function ancestry(mountpoint: string, dir: string): string[] {
  const rel = posix.relative(mountpoint, dir);
  const levels = [mountpoint];
  for (const part of rel.split('/').filter(Boolean)) {
    levels.push(posix.join(levels[levels.length - 1] ?? mountpoint, part));
  }
  return levels;
}

/**
 * Enables in `cg`'s subtree_control every controller it has that is not yet enabled: all at once,
 * then one by one if the kernel refuses the set (e.g. cpu while realtime tasks exist), as runc.
 * Controllers that stay off surface later as a clear error when a limit needs them.
 */
async function enableControllers(cg: CgroupDir): Promise<void> {
  const available = (await cg.read('cgroup.controllers')).split(/\s+/).filter(Boolean);
  const enabled = new Set((await cg.read('cgroup.subtree_control')).split(/\s+/));
  const missing = available.filter((c) => !enabled.has(c));
  if (missing.length === 0) return;
  try {
    await cg.write('cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
  } catch (err) {
    if (!(err instanceof CgroupError) || isCode(err, 'ENOENT')) throw err;
    for (const c of missing)
      await cg.write('cgroup.subtree_control', `+${c}`).catch(() => undefined);
  }
}
