import { posix } from 'node:path';
import { CgroupDir } from '../cgroup-dir';
import { CgroupError, isCode } from '../errors';
import type { CgroupFs } from '../fs';
import { hierarchyDir, type HierarchyLocation } from '../host';
import type { CgroupManager, FreezerState, ProcessControl, Timing } from '../manager';
import type { LinuxResources } from '../spec';
import type { V1Metrics } from '../stats';
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
import { applyV1 } from './resources';
import { readV1Stats } from './stats';

export interface V1ManagerOptions {
  fs: CgroupFs;
  processes: ProcessControl;
  timing: Timing;
}

/**
 * A cgroup on v1: one directory per controller hierarchy (controllers mounted together, such as
 * cpu,cpuacct, share one). Named hierarchies (name=systemd) are left to their owners.
 */
export class V1Manager implements CgroupManager {
  readonly version = 1;
  private readonly byController = new Map<string, CgroupDir>();

  constructor(
    hierarchies: Record<string, HierarchyLocation>,
    /** Resolved path in each controller's hierarchy. */
    private readonly paths: Record<string, string>,
    private readonly options: V1ManagerOptions,
  ) {
    for (const [controller, location] of Object.entries(hierarchies)) {
      const path = paths[controller];
      if (controller.startsWith('name=') || path === undefined) continue;
      this.byController.set(controller, new CgroupDir(options.fs, hierarchyDir(location, path)));
    }
  }

  /** The memory hierarchy's path: the one containerd and docker report. */
  get path(): string {
    return this.paths.memory ?? Object.values(this.paths)[0] ?? '';
  }

  dirOf(controller: string): string | undefined {
    return this.byController.get(controller)?.dir;
  }

  /** Distinct directories: co-mounted controllers appear once. */
  private get dirs(): CgroupDir[] {
    const unique = new Map<string, CgroupDir>();
    for (const d of this.byController.values()) unique.set(d.dir, d);
    return [...unique.values()];
  }

  /** The hierarchy used to list processes: freezer (it is what freeze acts on), else any. */
  private get primary(): CgroupDir | undefined {
    return this.byController.get('freezer') ?? this.dirs[0];
  }

  async create(): Promise<void> {
    const created: string[] = [];
    try {
      // One hierarchy at a time would cost a round of mkdirs per hierarchy.
      const made = await Promise.allSettled(
        this.dirs.map((d) => mkdirParents(this.options.fs, d.dir)),
      );
      for (const m of made) if (m.status === 'fulfilled') created.push(...m.value);
      const failed = made.find((m) => m.status === 'rejected');
      if (failed) throw failed.reason;
      const cpuset = this.byController.get('cpuset');
      if (cpuset) await this.inheritCpuset(cpuset, created);
    } catch (err) {
      for (const dir of created.reverse()) await this.options.fs.rmdir(dir).catch(() => undefined);
      throw err;
    }
  }

  apply(resources: LinuxResources): Promise<void> {
    return applyV1((c) => this.byController.get(c), resources);
  }

  /** The hierarchies are independent: writing them all at once keeps a launch waiting for one
   * round of writes, not one per hierarchy. */
  async addProcess(pid: number): Promise<void> {
    await Promise.all(
      this.dirs.map((d) => writePid(this.options.fs, d.dir, pid, this.options.timing)),
    );
  }

  joinFiles(): string[] {
    return this.dirs.map((d) => posix.join(d.dir, 'tasks'));
  }

  async pids(): Promise<number[]> {
    return this.primary ? collectPids(this.options.fs, this.primary.dir) : [];
  }

  stats(): Promise<V1Metrics> {
    return readV1Stats((c) => this.byController.get(c));
  }

  freeze(): Promise<void> {
    return this.setFreezer('FROZEN');
  }

  thaw(): Promise<void> {
    return this.setFreezer('THAWED');
  }

  async state(): Promise<FreezerState> {
    const freezer = this.byController.get('freezer');
    const state = (await freezer?.tryRead('freezer.state'))?.trim();
    if (state === 'FROZEN') return 'frozen';
    return state === 'FREEZING' ? 'freezing' : 'thawed';
  }

  async killAll(signal: NodeJS.Signals | number = 'SIGKILL'): Promise<void> {
    if (!(await this.exists())) return;
    // v1 has no cgroup.kill: always one by one, frozen when the freezer is there.
    await signalAll(this, this.byController.has('freezer'), this.options.processes, signal);
    if (isSigkill(signal)) await waitEmpty(this, this.options.timing);
  }

  async delete(): Promise<void> {
    await Promise.all(
      this.dirs.map((d) => removeTree(this.options.fs, d.dir, this.options.timing)),
    );
  }

  async exists(): Promise<boolean> {
    for (const d of this.dirs) if (await dirExists(this.options.fs, d.dir)) return true;
    return false;
  }

  private async setFreezer(target: 'FROZEN' | 'THAWED'): Promise<void> {
    const freezer = this.byController.get('freezer');
    if (!freezer) throw new CgroupError('the freezer controller is not mounted on this host');
    await freezer.write('freezer.state', target);
    try {
      await waitUntil(
        async () => (await freezer.read('freezer.state')).trim() === target,
        this.options.timing,
        `${freezer.file('freezer.state')} to read ${target}`,
      );
    } catch (err) {
      // A freeze that cannot complete must not leave the tasks stuck half-frozen.
      if (target === 'FROZEN') await freezer.write('freezer.state', 'THAWED');
      throw err;
    }
  }

  /**
   * A new v1 cpuset starts with empty cpus/mems, and no task can join it then: copy the
   * parent's values into every level this create made, top down, as runc does.
   */
  private async inheritCpuset(cpuset: CgroupDir, created: string[]): Promise<void> {
    const levels = created.filter((d) => d === cpuset.dir || cpuset.dir.startsWith(`${d}/`));
    for (const dir of levels) {
      const own = new CgroupDir(this.options.fs, dir);
      const parent = new CgroupDir(this.options.fs, posix.dirname(dir));
      for (const file of ['cpuset.cpus', 'cpuset.mems']) {
        if ((await own.read(file)).trim() === '') await own.write(file, await parent.read(file));
      }
    }
  }
}

/** mkdir -p that reports the directories it made, outermost first. */
async function mkdirParents(fs: CgroupFs, dir: string): Promise<string[]> {
  if (await dirExists(fs, dir)) return [];
  const made = await mkdirParents(fs, posix.dirname(dir));
  try {
    await fs.mkdir(dir);
    made.push(dir);
  } catch (err) {
    if (!isCode(err, 'EEXIST')) throw err;
  }
  return made;
}
