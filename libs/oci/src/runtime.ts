// The runtime's operations (runc's commands) over a state root: create/start/run/exec/state/
// list/kill/delete/ps/pause/resume/update/stats. The CLI in services/runtime is a thin shell.
import { constants, readFileSync, readlinkSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createManager,
  detectHost,
  NodeCgroupFs,
  type CgroupHost,
  type CgroupManager,
  type CgroupStats,
  type LinuxResources,
} from '@berth/cgroups';
import { runHooks } from './launch/hooks';
import { launch, type LaunchOptions, type Launched } from './launch/launcher';
import { sealedLauncher } from './launch/sealed';
import { buildExecPlan, buildInitPlan } from './plan/build';
import { readHostInfo } from './plan/host';
import { PROC_NS_NAME } from './plan/namespaces';
import type { NamespaceType, Process, Spec } from './spec/types';
import { validateSpec } from './spec/validate';
import {
  ociState,
  processStartTime,
  StateStore,
  type ContainerRecord,
  type OciState,
  type Status,
} from './state/store';

export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

export interface RuntimeOptions {
  root: string;
  noPivot?: boolean;
  /** Where compiled seccomp programs are cached (default <root>/.seccomp). */
  seccompCacheDir?: string;
  /** Receives runc's warnings (ignored capabilities, rootfs setup skipped). */
  warn?: (message: string) => void;
  /** Long-lived callers: start every launch from one sealed copy of the launcher held by this
   * process (sealedLauncher), instead of each launch making its own. */
  sealedLauncher?: boolean;
}

export interface CreateOptions {
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  stdio?: LaunchOptions['stdio'];
  spawn?: LaunchOptions['spawn'];
  /** run: the launcher stays the parent and `exited` is the container's exit status. */
  foreground?: boolean;
}

export interface ExecOptions {
  pidFile?: string;
  consoleSocket?: string;
  stdio?: LaunchOptions['stdio'];
  spawn?: LaunchOptions['spawn'];
  detach?: boolean;
}

const PID_SENTINEL = -7777777;
let hostLayout: Promise<CgroupHost> | undefined;
/** How long a process whose fifo end closed without the byte is given to finish dying. */
const DYING_MS = 200;

/** Whether the container's process is gone, or goes within `ms`. */
async function exitsWithin(rec: ContainerRecord, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; ;) {
    if (processStartTime(rec.pid) !== rec.startTime) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The launcher writes the pid file; relative paths are the caller's, as runc's. */
const pidFile = (path: string | undefined) => (path ? resolve(path) : undefined);

const nsLink = (pid: number | 'self', type: NamespaceType) => {
  try {
    return readlinkSync(`/proc/${pid}/ns/${PROC_NS_NAME[type]}`);
  } catch {
    return undefined;
  }
};

/** runc's rules: a terminal needs a console socket to hand it to, and the reverse. */
function checkConsole(terminal: boolean, consoleSocket: string | undefined): void {
  if (terminal && !consoleSocket)
    throw new RuntimeError(
      'cannot allocate tty if runc will detach without setting console socket',
    );
  if (!terminal && consoleSocket)
    throw new RuntimeError('cannot use console socket if runc will not detach or allocate tty');
}

export class Runtime {
  readonly store: StateStore;
  private readonly seccompCacheDir: string;

  constructor(private readonly opts: RuntimeOptions) {
    this.store = new StateStore(opts.root);
    this.seccompCacheDir = opts.seccompCacheDir ?? join(opts.root, '.seccomp');
  }

  private async launcherBinary(): Promise<string | undefined> {
    return this.opts.sealedLauncher ? sealedLauncher() : undefined;
  }

  /** The host's cgroup layout, read once per process (as containerd's cgroups.Mode() does):
   * a shim makes a Runtime per container. */
  private cgroupHost(): Promise<CgroupHost> {
    hostLayout ??= detectHost(new NodeCgroupFs());
    return hostLayout;
  }

  private async cgroup(rec: Pick<ContainerRecord, 'cgroupsPath'>): Promise<CgroupManager> {
    return createManager(rec.cgroupsPath, { host: await this.cgroupHost() });
  }

  async create(id: string, opts: CreateOptions): Promise<Launched> {
    const bundle = resolve(opts.bundle);
    let spec: Spec;
    try {
      spec = validateSpec(JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new RuntimeError(`JSON specification file config.json not found`);
      throw err;
    }
    checkConsole(spec.process?.terminal ?? false, opts.consoleSocket);
    await this.store.reserve(id);
    const rec: ContainerRecord = {
      id,
      pid: 0,
      startTime: '',
      bundle,
      rootfs: resolve(bundle, spec.root?.path ?? 'rootfs'),
      created: new Date().toISOString(),
      owner: '',
      cgroupsPath: spec.linux?.cgroupsPath || id,
      spec,
    };
    let cgroup: CgroupManager | undefined;
    let launched: Launched | undefined;
    try {
      cgroup = await this.cgroup(rec);
      await cgroup.create();
      if (spec.linux?.resources) await cgroup.apply(spec.linux.resources as LinuxResources);
      // runc reports "created" to every hook before start: the process exists by then.
      const state = (pid: number) => ociState({ ...rec, pid }, 'created');
      const hookJson = JSON.stringify(state(PID_SENTINEL)).split(String(PID_SENTINEL));
      const plan = await buildInitPlan(spec, {
        bundle,
        host: await readHostInfo(this.cgroupHost()),
        seccompCacheDir: this.seccompCacheDir,
        execFifo: this.store.fifo(id),
        consoleSocket: opts.consoleSocket,
        foreground: opts.foreground,
        noPivot: this.opts.noPivot,
        warn: this.opts.warn,
        hookState: spec.hooks ? [hookJson[0] ?? '', hookJson[1] ?? ''] : undefined,
      });
      launched = await launch(
        { ...plan, cgroupJoin: cgroup.joinFiles(), pidFile: pidFile(opts.pidFile) },
        {
          stdio: opts.stdio,
          spawn: opts.spawn,
          binary: await this.launcherBinary(),
          onHooks: async (pid) => {
            await runHooks(spec.hooks?.prestart, state(pid));
            await runHooks(spec.hooks?.createRuntime, state(pid));
          },
        },
      );
      rec.pid = launched.pid;
      rec.startTime = processStartTime(launched.pid) ?? '';
      await this.store.save(rec);
      return launched;
    } catch (err) {
      if (launched) process.kill(launched.pid, 'SIGKILL');
      if (opts.pidFile) await rm(opts.pidFile, { force: true });
      await cgroup?.killAll('SIGKILL').catch(() => undefined);
      await cgroup?.delete().catch(() => undefined);
      await this.store.remove(id);
      throw err;
    }
  }

  /** Lets a created container's process exec (opens its exec fifo), then poststart hooks. */
  async start(id: string): Promise<bigint | undefined> {
    const rec = await this.store.load(id);
    const status = await this.store.status(rec, false);
    if (status !== 'created')
      throw new RuntimeError(
        `cannot start a container that has ${status === 'stopped' ? 'stopped' : 'already been started'}`,
      );
    const fifo = await this.openExecFifo(rec);
    let execAt: bigint | undefined;
    try {
      const text = (await fifo.readFile('utf8')).trim();
      if (!text) {
        // The process opened its end and died, or another start got the byte first. A process
        // killed after opening may still be dying (a signal is delivered when it next runs).
        const gone = await exitsWithin(rec, DYING_MS);
        throw new RuntimeError(
          `cannot start ${gone ? 'a container that has stopped' : 'an already running container'}`,
        );
      }
      execAt = BigInt(text);
    } finally {
      await fifo.close();
      await rm(this.store.fifo(id), { force: true });
    }
    await runHooks(rec.spec.hooks?.poststart, ociState(rec, 'running'));
    return execAt;
  }

  /** Opens the exec fifo for reading, which releases the process waiting on its write end.
   * Should the process be gone, nobody ever opens that end: then we do, to end the wait. */
  private async openExecFifo(rec: ContainerRecord): Promise<FileHandle> {
    const path = this.store.fifo(rec.id);
    const opening = open(path, 'r');
    const tick = () => new Promise<false>((r) => setTimeout(() => r(false), 20).unref());
    while (!(await Promise.race([opening.then(() => true), tick()]))) {
      if (processStartTime(rec.pid) !== rec.startTime) {
        await (await open(path, constants.O_WRONLY | constants.O_NONBLOCK)).close();
        await (await opening).close();
        throw new RuntimeError('cannot start a container that has stopped');
      }
    }
    return opening;
  }

  /** create + start in the foreground. Resolves once the process runs; `exited` resolves to
   * its exit status after the container is deleted. */
  async run(id: string, opts: Omit<CreateOptions, 'foreground'>): Promise<Launched> {
    const launched = await this.create(id, { ...opts, foreground: true });
    try {
      await this.start(id);
    } catch (err) {
      await this.delete(id, true).catch(() => undefined);
      throw err;
    }
    const exited = launched.exited.then(async (code) => {
      await this.delete(id, true);
      return code;
    });
    return { ...launched, exited };
  }

  /** The freezer is only asked about a live process: a stopped one needs no cgroup lookup. */
  private async status(rec: ContainerRecord): Promise<Status> {
    const status = await this.store.status(rec, false);
    return status !== 'stopped' && (await this.frozen(rec)) ? 'paused' : status;
  }

  private async frozen(rec: ContainerRecord): Promise<boolean> {
    try {
      return (await (await this.cgroup(rec)).state()) !== 'thawed';
    } catch {
      return false;
    }
  }

  async state(id: string): Promise<OciState> {
    const rec = await this.store.load(id);
    return ociState(rec, await this.status(rec));
  }

  async list(): Promise<OciState[]> {
    const out: OciState[] = [];
    for (const id of await this.store.list()) {
      try {
        out.push(await this.state(id));
      } catch {
        /* being created or deleted right now */
      }
    }
    return out;
  }

  async kill(id: string, signal: number, all = false): Promise<void> {
    const rec = await this.store.load(id);
    const status = await this.store.status(rec, false);
    if (all) {
      const cgroup = await this.cgroup(rec);
      for (const pid of await cgroup.pids()) {
        try {
          process.kill(pid, signal);
        } catch {
          /* exited meanwhile */
        }
      }
      return;
    }
    if (status === 'stopped') throw new RuntimeError('container not running');
    // Through a pidfd, checked after opening: a recycled pid never gets the signal.
    const sys = await import('./sys/libc');
    const pidfd = sys.pidfdOpen(rec.pid);
    try {
      if (processStartTime(rec.pid) !== rec.startTime)
        throw new RuntimeError('container not running');
      sys.pidfdSendSignal(pidfd, signal);
    } finally {
      sys.close(pidfd);
    }
  }

  async delete(id: string, force = false): Promise<void> {
    const rec = await this.store.load(id);
    const status = await this.status(rec);
    if (status !== 'stopped' && status !== 'created' && !force)
      throw new RuntimeError(`cannot delete container ${id} that is not stopped: ${status}`);
    const cgroup = await this.cgroup(rec);
    if (status !== 'stopped') {
      if (status === 'paused') await cgroup.thaw();
      await cgroup.killAll('SIGKILL').catch(() => process.kill(rec.pid, 'SIGKILL'));
    }
    await cgroup.delete();
    await this.store.remove(id);
    try {
      await runHooks(rec.spec.hooks?.poststop, ociState(rec, 'stopped'));
    } catch (err) {
      // runc logs a failing poststop hook and deletes anyway; the caller decides what to print.
      throw new RuntimeError(`poststop hook failed (container deleted): ${(err as Error).message}`);
    }
  }

  /** Runs a process in the container; `exited` is its exit status unless detached. */
  async exec(id: string, proc: Process, opts: ExecOptions = {}): Promise<Launched> {
    const rec = await this.store.load(id);
    const status = await this.status(rec);
    if (status === 'stopped') throw new RuntimeError('cannot exec in a stopped container');
    if (status === 'paused') throw new RuntimeError('cannot exec in a paused container');
    checkConsole(proc.terminal ?? false, opts.consoleSocket);
    const namespaces = (Object.keys(PROC_NS_NAME) as NamespaceType[]).filter(
      (t) => nsLink(rec.pid, t) !== nsLink('self', t),
    );
    const plan = await buildExecPlan(rec.spec, proc, {
      pid: rec.pid,
      namespaces,
      seccompCacheDir: this.seccompCacheDir,
      consoleSocket: opts.consoleSocket,
      foreground: !opts.detach,
      // A container in the runtime's mount namespace is only chrooted: enter its root too.
      chroot: namespaces.includes('mount') ? undefined : `/proc/${rec.pid}/root`,
      warn: this.opts.warn,
    });
    const cgroup = await this.cgroup(rec);
    return launch(
      { ...plan, cgroupJoin: cgroup.joinFiles(), pidFile: pidFile(opts.pidFile) },
      { stdio: opts.stdio, spawn: opts.spawn, binary: await this.launcherBinary() },
    );
  }

  async ps(id: string): Promise<number[]> {
    return (await this.cgroup(await this.store.load(id))).pids();
  }

  async pause(id: string): Promise<void> {
    const rec = await this.store.load(id);
    if ((await this.store.status(rec, false)) === 'stopped')
      throw new RuntimeError('container not running');
    await (await this.cgroup(rec)).freeze();
  }

  async resume(id: string): Promise<void> {
    const rec = await this.store.load(id);
    if (!(await this.frozen(rec))) throw new RuntimeError('container not paused');
    await (await this.cgroup(rec)).thaw();
  }

  async update(id: string, resources: LinuxResources): Promise<void> {
    await (await this.cgroup(await this.store.load(id))).apply(resources);
  }

  async stats(id: string): Promise<CgroupStats> {
    return (await this.cgroup(await this.store.load(id))).stats();
  }
}
