import type { LinuxResources } from './spec';
import type { CgroupStats } from './stats';

/** thawed: running; freezing: freeze requested, not every task stopped yet; frozen: all stopped. */
export type FreezerState = 'thawed' | 'freezing' | 'frozen';

/**
 * One container's cgroup. Implementations: V2Manager (unified), V1Manager (per-controller
 * hierarchies) and FakeManager (in memory, for consumers' unit tests). A systemd driver would
 * be one more implementation that asks systemd to create the scope and then delegates to these.
 */
export interface CgroupManager {
  readonly version: 1 | 2;
  /** The cgroup's path inside the hierarchy (e.g. /berth/abc), after resolving cgroupsPath. */
  readonly path: string;
  /** Creates the cgroup (and missing parents); idempotent. */
  create(): Promise<void>;
  /** Writes the limits in an OCI linux.resources object; absent or 0 fields are left as they are. */
  apply(resources: LinuxResources): Promise<void>;
  addProcess(pid: number): Promise<void>;
  /**
   * The files a single-threaded process writes 0 into to move itself into the cgroup, one per
   * hierarchy the cgroup spans: how the launcher joins without a round trip to us. On v1 these
   * are the `tasks` files: moving only the writing thread skips the thread-group lock, whose
   * RCU grace period makes each cgroup.procs write on a v1 hierarchy cost milliseconds.
   */
  joinFiles(): string[];
  /** Every pid in the cgroup and its descendants. */
  pids(): Promise<number[]>;
  stats(): Promise<CgroupStats>;
  /** Resolves once every task is frozen. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  state(): Promise<FreezerState>;
  /** Signals every process; for SIGKILL (the default) also waits until the cgroup is empty. */
  killAll(signal?: NodeJS.Signals | number): Promise<void>;
  /** Removes the cgroup and its descendants, retrying while exiting tasks drain; idempotent. */
  delete(): Promise<void>;
  exists(): Promise<boolean>;
}

/** How processes are signalled; a fake in unit tests. Throws ESRCH for a gone pid, as kill(2). */
export interface ProcessControl {
  kill(pid: number, signal: NodeJS.Signals | number): void;
}

export const nodeProcessControl: ProcessControl = {
  kill: (pid, signal) => process.kill(pid, signal),
};

export interface Timing {
  /** Interval between polls of freeze state, emptiness and rmdir retries. */
  pollMs: number;
  /** How long freeze/thaw, kill-and-drain and delete may take before failing. */
  timeoutMs: number;
}

export const DEFAULT_TIMING: Timing = { pollMs: 10, timeoutMs: 5000 };
