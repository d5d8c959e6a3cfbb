// What the shim asks of an OCI runtime, and which one a task gets: berth's own, in this
// process (the default), or runc, crun or berth-runc through the runc command line when
// containerd's runtime options name a binary (containerd.runc.v1.Options.binary_name).
import type { Context } from '@opentelemetry/api';
import type { MonitoredProcess, SpawnMonitorOptions } from '@berth/monitor';
import { Code, TtrpcError } from '@berth/ttrpc';

export interface RuntimeConfig {
  /** The runtime binary; absent for berth's runtime in this process. */
  binary?: string;
  /** The runtime's state root, per namespace (upstream: /run/containerd/runc/<ns>). */
  root: string;
  systemdCgroup: boolean;
  /** The runtime's --log file (JSON lines); in the bundle. */
  logFile: string;
}

/** Where a new process's monitor keeps its socket, exit record, stdio and pid file. */
export type MonitorRequest = Omit<SpawnMonitorOptions, 'command' | 'env' | 'channel'>;

/**
 * The commands that are part of a container's trace take the shim call's trace Context: the
 * shim hands contexts down explicitly (its context manager does not follow async code).
 */
export interface OciRuntime {
  /** For traces: `berth` in process, else the binary's file name (`runc`, `crun`, ...). */
  readonly name: string;
  /** Creates the container's init process, parented by a new monitor. */
  create(
    id: string,
    bundle: string,
    monitor: MonitorRequest,
    trace: Context,
  ): Promise<MonitoredProcess>;
  /** Starts an extra process (its OCI process JSON in processFile) under a new monitor. */
  exec(
    id: string,
    processFile: string,
    monitor: MonitorRequest,
    trace: Context,
  ): Promise<MonitoredProcess>;
  start(id: string, trace: Context): Promise<void>;
  kill(id: string, signal: number, all: boolean, trace: Context): Promise<void>;
  delete(id: string, force: boolean, trace: Context): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  ps(id: string): Promise<number[]>;
  /** Applies an OCI LinuxResources document (JSON) to the running container. */
  update(id: string, resources: string): Promise<void>;
  /** The container's cgroup stats as an io.containerd.cgroups.v1.Metrics message. */
  metricsV1(id: string): Promise<object>;
}

/** The runtime a container's config names. The CLI module is small; berth's runtime (the
 * OCI lib) is loaded only when a task uses it. */
export async function openRuntime(
  config: RuntimeConfig,
  warn: (message: string) => void = () => {},
): Promise<OciRuntime> {
  if (config.binary) {
    const { RuntimeCli } = await import('./runtime-cli');
    return new RuntimeCli({ ...config, binary: config.binary });
  }
  const { InProcessRuntime } = await import('./runtime-in-process');
  return new InProcessRuntime(config, warn);
}

/** Runtime failures in containerd's error shape (errdefs derive codes from the message). */
export function runtimeError(message: string): TtrpcError {
  if (/does not exist|not found/i.test(message)) return new TtrpcError(Code.NotFound, message);
  if (/not running|not paused|already paused|cannot (start|delete)/i.test(message)) {
    return new TtrpcError(Code.FailedPrecondition, message);
  }
  return new TtrpcError(Code.Unknown, message);
}
