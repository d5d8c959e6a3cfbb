// A container: its init process and execs, created by its OCI runtime, each process parented
// by its own berth-monitor. Every state change is persisted before it is answered.
import { mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from '@opentelemetry/api';
import type { ExitRecord, ServerRespawn } from '@berth/monitor';
import { Code, TtrpcError } from '@berth/ttrpc';
import type { Logger } from 'pino';
import { processFileName } from '../paths';
import { ContainerCgroupV2 } from './cgroup-v2';
import { memoryCgroupV1 } from './memory-cgroup';
import { mountAll, unmountAll, type Mount } from '@berth/oci/mount';
import {
  openRuntime,
  runtimeError,
  type MonitorRequest,
  type OciRuntime,
  type RuntimeConfig,
} from './runtime';
import { TrackedProcess } from './process';
import { saveState, type ContainerState, type ProcessState } from './state';

export interface Stdio {
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
}

export interface CreateOptions extends Stdio {
  id: string;
  namespace: string;
  bundle: string;
  rootfs: Mount[];
  runtime: RuntimeConfig;
}

/** What every container of a group server shares. */
export interface GroupContext {
  /** The group server's directory, where monitor sockets live (short paths). */
  socketDir: string;
  /** How monitors bring the server back if it dies. */
  respawn: ServerRespawn;
  log: Logger;
}

/** What containerd must be told about a container's processes. */
export interface ContainerListener {
  exit(container: Container, process: ProcessState, exit: ExitRecord): void;
  oom(container: Container): void;
}

export class Container {
  /** The init's cgroup on a pure cgroup v2 host: Stats read it, OOM kills are watched in it. */
  cgroupV2: ContainerCgroupV2 | undefined;
  private readonly processes = new Map<string, TrackedProcess>();
  /** Set once the container is deleted: nothing is written to its bundle any more. */
  private deleted = false;
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    readonly state: ContainerState,
    readonly runtime: OciRuntime,
    private readonly group: GroupContext,
    private readonly listener: ContainerListener,
  ) {
    this.processes.set('', new TrackedProcess(state.init));
    for (const exec of Object.values(state.execs)) {
      this.processes.set(exec.execId, new TrackedProcess(exec));
    }
  }

  get id(): string {
    return this.state.id;
  }

  /** Mounts the rootfs and has the runtime create the container under a new monitor.
   * `trace` is the shim call's trace context, handed down to the runtime (so are the others). */
  static async create(
    options: CreateOptions,
    group: GroupContext,
    listener: ContainerListener,
    trace: Context,
  ): Promise<Container> {
    const { id, bundle, rootfs } = options;
    const rootfsDir = join(bundle, 'rootfs');
    if (rootfs.length > 0) {
      mkdirSync(rootfsDir, { recursive: true });
      mountAll(rootfs, rootfsDir);
    }
    const state: ContainerState = {
      id,
      namespace: options.namespace,
      bundle,
      runtime: options.runtime,
      rootfsMounted: rootfs.length > 0,
      paused: false,
      init: processState('', bundle, group.socketDir, id, options),
      execs: {},
    };
    try {
      const runtime = await runtimeFor(options.runtime, group);
      const container = new Container(state, runtime, group, listener);
      await container.launch(state.init, trace);
      return container;
    } catch (err) {
      if (state.rootfsMounted) unmountAll(rootfsDir);
      throw err;
    }
  }

  /** A container the server knew before it restarted: follow its live processes again. */
  static async restore(state: ContainerState, group: GroupContext, listener: ContainerListener) {
    const runtime = await runtimeFor(state.runtime, group);
    const container = new Container(state, runtime, group, listener);
    for (const [, proc] of container.processes) {
      if (proc.state.status !== 'stopped' && proc.state.monitorPid > 0) {
        await container.watch(proc);
      } else if (proc.state.status === 'stopped' && !proc.state.exitPublished) {
        listener.exit(container, proc.state, await proc.exited);
      }
    }
    return container;
  }

  process(execId: string): TrackedProcess {
    const proc = this.processes.get(execId);
    if (!proc) throw new TtrpcError(Code.NotFound, `process ${execId} does not exist ${this.id}`);
    return proc;
  }

  get init(): TrackedProcess {
    return this.process('');
  }

  async start(execId: string, trace: Context): Promise<ProcessState> {
    const proc = this.process(execId);
    if (proc.state.status !== 'created') {
      throw new TtrpcError(Code.FailedPrecondition, `cannot start a ${proc.state.status} process`);
    }
    if (execId === '') {
      proc.starting = this.runtime.start(this.id, trace);
      await proc.starting;
    } else {
      await this.launch(proc.state, trace);
    }
    proc.state.status = 'running';
    await this.persist();
    return proc.state;
  }

  /** Registers an exec process; it runs at Start. */
  async addExec(execId: string, spec: Uint8Array, stdio: Stdio): Promise<void> {
    if (this.processes.has(execId)) {
      throw new TtrpcError(Code.AlreadyExists, `id ${execId}: already exists`);
    }
    if (this.init.state.status === 'stopped') {
      throw new TtrpcError(Code.FailedPrecondition, `container ${this.id} is stopped`);
    }
    const state = processState(execId, this.state.bundle, this.group.socketDir, this.id, stdio);
    state.processFile = join(this.state.bundle, `exec-${processFileName(this.id, execId)}.json`);
    await writeFile(state.processFile, spec);
    this.state.execs[execId] = state;
    this.processes.set(execId, new TrackedProcess(state));
    await this.persist();
  }

  async kill(execId: string, signal: number, all: boolean, trace: Context): Promise<void> {
    const proc = this.process(execId);
    if (proc.state.status === 'stopped') {
      throw new TtrpcError(Code.NotFound, 'process already finished');
    }
    if (execId === '') return this.runtime.kill(this.id, signal, all, trace);
    if (proc.state.status === 'created') {
      throw new TtrpcError(Code.FailedPrecondition, 'process not created');
    }
    try {
      process.kill(proc.state.pid, signal);
    } catch (err) {
      throw runtimeError(`kill ${proc.state.pid}: ${String(err)}`);
    }
  }

  /** Deletes an exec, or the whole container (init): runtime state, rootfs, our files. */
  async delete(execId: string, trace: Context): Promise<ProcessState> {
    const proc = this.process(execId);
    const { status } = proc.state;
    if (status === 'running') {
      throw new TtrpcError(
        Code.FailedPrecondition,
        `cannot delete a running process ${execId || this.id}`,
      );
    }
    if (execId !== '') {
      proc.close();
      this.processes.delete(execId);
      delete this.state.execs[execId];
      const { processFile, exitFile, pidFile } = proc.state;
      await Promise.all([processFile, exitFile, pidFile].map((f) => f && rm(f, { force: true })));
      await this.persist();
      return proc.state;
    }
    await this.runtime.delete(this.id, true, trace);
    if (status === 'created' && proc.state.monitorPid > 0) await proc.exited;
    for (const p of this.processes.values()) p.close();
    if (this.state.rootfsMounted) unmountAll(join(this.state.bundle, 'rootfs'));
    this.deleted = true;
    await this.writes;
    return proc.state;
  }

  async pause(): Promise<void> {
    await this.runtime.pause(this.id);
    this.state.paused = true;
    await this.persist();
  }

  async resume(): Promise<void> {
    await this.runtime.resume(this.id);
    this.state.paused = false;
    await this.persist();
  }

  /** Persists that containerd was told of this exit. */
  async exitPublished(state: ProcessState): Promise<void> {
    state.exitPublished = true;
    await this.persist();
  }

  /** Writes the state file; writes are serialised so a later one never loses to an earlier. */
  private persist(): Promise<void> {
    const write = this.writes.then(() => (this.deleted ? undefined : saveState(this.state)));
    this.writes = write.catch(() => {});
    return write;
  }

  /** Has the runtime create the init process or start an exec, under a new monitor. */
  private async launch(state: ProcessState, trace: Context): Promise<void> {
    mkdirSync(this.group.socketDir, { recursive: true });
    const monitor: MonitorRequest = {
      ...state,
      consoleSocket: consoleOf(state),
      respawn: this.group.respawn,
      // The init process's cgroup is the container's: OOM kills there are the task's.
      memoryCgroup: state.execId === '' ? memoryCgroupV1(this.state.bundle) : undefined,
    };
    const started =
      state.execId === ''
        ? await this.runtime.create(this.id, this.state.bundle, monitor, trace)
        : await this.runtime.exec(this.id, state.processFile!, monitor, trace);
    state.pid = started.pid;
    state.monitorPid = started.monitorPid;
    await this.persist();
    await this.watch(this.process(state.execId));
  }

  private async watch(proc: TrackedProcess): Promise<void> {
    const onOom = () => this.listener.oom(this);
    // On v2 the monitor has no memory.oom_control to watch: the shim follows memory.events.
    if (proc.state.execId === '') this.cgroupV2 = await ContainerCgroupV2.ofPid(proc.state.pid);
    const oomV2 = proc.state.execId === '' ? await this.cgroupV2?.watchOomKills(onOom) : undefined;
    return proc.watch((exit) => {
      void oomV2?.close();
      void this.persist().catch(() => {});
      this.listener.exit(this, proc.state, exit);
    }, onOom);
  }
}

/** The container's runtime; its warnings go to the group server's log. */
const runtimeFor = (config: RuntimeConfig, group: GroupContext) =>
  openRuntime(config, (message) => group.log.warn(message));

function processState(
  execId: string,
  bundle: string,
  socketDir: string,
  id: string,
  stdio: Stdio,
): ProcessState {
  const name = processFileName(id, execId);
  const prefix = execId === '' ? 'init' : `exec-${name}`;
  return {
    execId,
    pid: 0,
    monitorPid: 0,
    control: join(socketDir, `${name}.sock`),
    exitFile: join(bundle, `${prefix}.exit`),
    pidFile: join(bundle, `${prefix}.pid`),
    terminal: stdio.terminal,
    stdin: stdio.stdin,
    stdout: stdio.stdout,
    stderr: stdio.stderr,
    status: 'created',
  };
}

const consoleOf = (state: ProcessState) =>
  state.terminal ? state.control.replace(/\.sock$/, '.console') : undefined;
