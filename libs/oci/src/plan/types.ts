// The launch plan: everything native/berth-launch does, decided in TypeScript. Flat data
// only; encode.ts serializes it for the launcher.

export interface PlanMount {
  source: string;
  destination: string;
  type: string;
  /** MS_* flags for the mount (MS_BIND binds, the rest are applied by a remount). */
  flags: number;
  /** MS_PRIVATE/MS_SHARED/... (with MS_REC), applied after mounting; 0 for none. */
  propagation: number;
  data: string;
}

export interface PlanDevice {
  path: string;
  type: 'c' | 'b' | 'p';
  major: number;
  minor: number;
  mode: number;
  uid: number;
  gid: number;
}

export interface PlanHook {
  phase: 'createContainer' | 'startContainer';
  path: string;
  args: string[];
  env: string[];
  /** Seconds; 0 waits forever. */
  timeout: number;
}

export interface CapabilityMasks {
  bounding: bigint;
  effective: bigint;
  inheritable: bigint;
  permitted: bigint;
  ambient: bigint;
}

export interface PlanRootfs {
  path: string;
  readonly: boolean;
  noPivot: boolean;
  /** MS_* propagation for "/" after pivot_root; 0 keeps runc's default (rslave). */
  propagation: number;
}

export interface LaunchPlan {
  /** init: a new container process (waits on the exec fifo); exec: joins a running one. */
  mode: 'init' | 'exec';
  /** The launcher stays as the parent and exits with the process's status. */
  foreground: boolean;
  /** Files the launcher writes 0 into first to join the container's cgroup (absent: it stays
   * in ours); see CgroupManager.joinFiles. */
  cgroupJoin?: string[];
  /** CLONE_NEW* flags of namespaces to create. */
  cloneFlags: number;
  /** Namespaces to join, by CLONE_NEW* flag and /proc or bind-mount path. */
  join: { flag: number; path: string }[];
  /** Lines for /proc/self/timens_offsets. */
  timeOffsets?: string;
  uidMap?: string;
  gidMap?: string;
  rootfs?: PlanRootfs;
  /** No mount namespace of its own: the process only chroots here (no rootfs setup). */
  chroot?: string;
  mounts: PlanMount[];
  devices: PlanDevice[];
  symlinks: { target: string; path: string }[];
  maskedPaths: string[];
  readonlyPaths: string[];
  hostname?: string;
  domainname?: string;
  /** Paths below /proc/sys and their values. */
  sysctls: [string, string][];
  rlimits: { resource: number; soft: bigint; hard: bigint }[];
  /** Absent: capabilities are left as they are (the spec had none). */
  capabilities?: CapabilityMasks;
  user: { uid: number; gid: number; umask?: number; additionalGids: number[] };
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
  seccomp?: { bpf: Buffer; flags: number };
  args: string[];
  env: string[];
  cwd: string;
  execFifo?: { path: string; uid: number };
  /** Where the launcher writes the process's pid (runc's --pid-file), before it hands over. */
  pidFile?: string;
  consoleSocket?: string;
  /** Rows and columns for the pty (process.consoleSize). */
  consoleSize?: { height: number; width: number };
  hooks: PlanHook[];
  /** Stop after mounts for the runtime's prestart/createRuntime hooks ("hooks" line). */
  runtimeHooks: boolean;
  /** The state JSON hooks get on stdin, split where the container's pid goes. */
  hookState?: [string, string];
}
