import { CgroupError } from './errors';
import type { CgroupManager, FreezerState } from './manager';
import type { LinuxResources } from './spec';
import type { V2Metrics } from './stats';

/**
 * An in-memory CgroupManager for unit tests of code that drives one (runtime, shim): it records
 * what was asked, enforces the same lifecycle rules (no processes before create, no delete while
 * populated) and reports stats built from what it was given.
 */
export class FakeManager implements CgroupManager {
  readonly version = 2;
  created = false;
  frozen = false;
  readonly applied: LinuxResources[] = [];
  readonly signals: { pid: number; signal: NodeJS.Signals | number }[] = [];
  private readonly members = new Set<number>();

  constructor(readonly path: string) {}

  async create(): Promise<void> {
    this.created = true;
  }

  async apply(resources: LinuxResources): Promise<void> {
    this.mustExist();
    this.applied.push(structuredClone(resources));
  }

  async addProcess(pid: number): Promise<void> {
    this.mustExist();
    this.members.add(pid);
  }

  /** In memory there is no file a process could write itself into. */
  joinFiles(): string[] {
    return [];
  }

  async pids(): Promise<number[]> {
    return [...this.members];
  }

  async stats(): Promise<V2Metrics> {
    this.mustExist();
    const limit = this.applied.reduce((l, r) => r.pids?.limit ?? l, 0);
    return { version: 2, pids: { current: this.members.size, limit }, hugetlb: [] };
  }

  async freeze(): Promise<void> {
    this.mustExist();
    this.frozen = true;
  }

  async thaw(): Promise<void> {
    this.mustExist();
    this.frozen = false;
  }

  async state(): Promise<FreezerState> {
    return this.frozen ? 'frozen' : 'thawed';
  }

  async killAll(signal: NodeJS.Signals | number = 'SIGKILL'): Promise<void> {
    for (const pid of this.members) this.signals.push({ pid, signal });
    if (signal === 'SIGKILL' || signal === 9) this.members.clear();
  }

  async delete(): Promise<void> {
    if (this.members.size > 0) {
      throw new CgroupError(
        `rmdir ${this.path}: EBUSY (device or resource busy)`,
        'EBUSY',
        this.path,
      );
    }
    this.created = false;
  }

  async exists(): Promise<boolean> {
    return this.created;
  }

  private mustExist(): void {
    if (!this.created) {
      throw new CgroupError(
        `cgroup ${this.path}: ENOENT (no such file or directory)`,
        'ENOENT',
        this.path,
      );
    }
  }
}
