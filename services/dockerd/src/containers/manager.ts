// Container lifecycle over containerd's Containers, Snapshots and Tasks APIs: create,
// start, exits (restart policy, auto-remove), stop/kill, pause, rename, remove, and
// re-adoption of running tasks when the daemon restarts (live-restore).
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { hostname as hostHostname, constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import { withSpan } from '@berth/telemetry';
import type { Logger } from 'pino';
import { conflict, invalidParameter, notFound, notModified } from '../api/errors';
import type { ContainerdConnection } from '../containerd/connection';
import { DOCKER_NAMESPACE, GrpcCode, grpcCode } from '../containerd/connection';
import { openLease } from '../containerd/leases';
import type { EventBus } from '../events/bus';
import { withDefaultSwap } from './resources';
import { validateResources } from './update';
import { containerActor } from '../events/actors';
import type { ImageStore } from '../images/store';
import type { ContainerNetworking } from '../network/container-network';
import { sharedEtcFiles } from '../network/etc-files';
import type { EndpointConfig } from '../network/settings';
import { SNAPSHOTTER } from '../images/unpack';
import { JsonLogWriter } from './json-log';
import { generateName, validateName } from './names';
import { createdState, type ContainerRecord, type CreateConfig, type HostConfig } from './record';
import type { RecordStore } from './record-store';
import type { Mount } from './rootfs-files';
import { readRootfsFile } from './rootfs-files';
import { mountRequest } from './mounts';
import { taskWasOomKilled } from './oom';
import { taskCgroupExists } from './oom-events';
import { waitTaskExit } from './task-wait';
import type { ContainerMounts } from './volume-mounts';
import { buildSpec, containerEnv } from './spec';
import { openStdio, stdioPaths, StreamHub, type OpenStdio } from './stdio';
import { resolveUser } from './user';
import { ATTR, containerAttributes, ContainerRun, withContainerSpan } from './run-trace';
import type { RuntimeTable } from './runtimes';

const SPEC_TYPE = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';
const tracer = trace.getTracer('berth-dockerd');
/** An exit by SIGKILL, as containerd reports it (128 + 9): what an OOM kill of the init looks like. */
const SIGKILL_STATUS = 137;
const SIGKILL = 9;
const KILL_WAIT_MS = 10_000;

export interface ManagerDeps {
  connection: ContainerdConnection;
  images: ImageStore;
  records: RecordStore;
  execRoot: string;
  cgroupParent: string;
  runtimes: RuntimeTable;
  mounts: ContainerMounts;
  logger: Logger;
  events: EventBus;
  network: ContainerNetworking;
}

export interface ExitStatus {
  StatusCode: number;
  Error: { Message: string } | null;
}

/** A container and what exists only while dockerd runs: its streams, log, waiters. */
export class Container {
  readonly hub = new StreamHub();
  log?: JsonLogWriter;
  stdio?: OpenStdio;
  /** The trace of the container's current run, open until its exit is handled. */
  run?: ContainerRun;
  exitWaiters = new Set<(status: ExitStatus) => void>();
  /** Attached clients: released by the next exit or a failed start (dockerd closes the streams). */
  runEndWaiters = new Set<() => void>();
  removeWaiters = new Set<(status: ExitStatus) => void>();
  /** The snapshot's mounts from Prepare: a start in this daemon's lifetime asks for no Mounts. */
  rootfs?: Mount[];
  /** False while containerd is known to hold no task for it (none yet, or reaped). */
  taskMayExist = true;
  constructor(public record: ContainerRecord) {}
  get id() {
    return this.record.Id;
  }
  get running() {
    return ['running', 'paused', 'restarting'].includes(this.record.State.Status);
  }
  exitStatus(): ExitStatus {
    const error = this.record.State.Error;
    return { StatusCode: this.record.State.ExitCode, Error: error ? { Message: error } : null };
  }
}

export class ContainerManager {
  private readonly containers = new Map<string, Container>();

  constructor(private readonly deps: ManagerDeps) {}

  /** Publishes a container event with Docker's attributes (name, image, labels, extra). */
  emit(container: Container, action: string, extra?: Record<string, string>): void {
    this.deps.events.publish({
      Type: 'container',
      Action: action,
      Actor: containerActor(container.record, extra),
    });
  }

  list(): Container[] {
    return [...this.containers.values()];
  }

  /** By full ID, name (with or without "/"), or unique ID prefix, as Docker looks them up. */
  get(ref: string): Container {
    const exact = this.containers.get(ref);
    if (exact) return exact;
    const name = ref.startsWith('/') ? ref : `/${ref}`;
    const byName = this.list().find((c) => c.record.Name === name);
    if (byName) return byName;
    const byPrefix = ref ? this.list().filter((c) => c.id.startsWith(ref)) : [];
    if (byPrefix.length === 1) return byPrefix[0]!;
    if (byPrefix.length > 1)
      throw invalidParameter(`multiple IDs found with provided prefix: ${ref}`);
    throw notFound(`No such container: ${ref}`);
  }

  private adopt(record: ContainerRecord): Container {
    const container = new Container(record);
    container.hub.onStdinClosed = () =>
      this.deps.connection.call('tasks', 'CloseIO', { container_id: record.Id, stdin: true });
    this.containers.set(record.Id, container);
    return container;
  }

  /** Reads saved records and re-adopts tasks that kept running while dockerd was down. */
  async restore(): Promise<void> {
    for (const record of this.deps.records.loadAll()) {
      const container = this.adopt(record);
      if (!container.running) continue;
      try {
        const { process } = await this.deps.connection.call<{
          process: { status: string; exit_status: number };
        }>('tasks', 'Get', { container_id: record.Id });
        if (process.status === 'RUNNING' || process.status === 'PAUSED') {
          record.State.Status = process.status === 'PAUSED' ? 'paused' : 'running';
          (await this.attachIo(container, false)).stdio.connectStdin();
          void this.watchExit(container);
          continue;
        }
      } catch (err) {
        if (grpcCode(err) !== GrpcCode.NOT_FOUND) throw err;
      }
      await this.reapTask(container);
      this.markExited(container, record.State.ExitCode || 255, '');
    }
  }

  async create(
    name: string | undefined,
    config: CreateConfig,
    hostConfig: HostConfig,
    parent: Context = ROOT_CONTEXT,
    endpoints: Record<string, EndpointConfig> = {},
  ): Promise<Container> {
    const runtime = this.deps.runtimes.resolve(hostConfig.Runtime as string | undefined);
    const attributes = {
      [ATTR.image]: config.Image ?? '',
      [ATTR.runtime]: runtime.name,
      [ATTR.namespace]: DOCKER_NAMESPACE,
    };
    const run = ContainerRun.open(parent, attributes);
    const create = async (span: Span, trace: Context) => {
      const connection = this.deps.connection.tracing(trace);
      if (!config.Image) throw invalidParameter('No image specified');
      validateResources(hostConfig, false);
      const fullName = name
        ? validateName(name)
        : generateName((n) => this.list().some((c) => c.record.Name === n));
      const holder = this.list().find((c) => c.record.Name === fullName);
      if (holder) {
        throw conflict(
          `Conflict. The container name "${fullName}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
        );
      }
      // The lease's Create travels while the image is looked up; every way out releases it.
      const lease = openLease(connection);
      let released: Promise<void> | undefined;
      try {
        const image = await this.deps.images.forContainer(config.Image, trace);
        const id = randomBytes(32).toString('hex');
        span.setAttribute(ATTR.id, id);
        run.setAttributes({ [ATTR.id]: id });
        const merged = mergeImageConfig(config, image.config.config ?? {});
        const network = await this.deps.network.plan(id, merged, hostConfig, endpoints, (ref) =>
          this.get(ref),
        );
        const networkMode = network.mode;
        const [path, ...args] = [...(merged.Entrypoint ?? []), ...(merged.Cmd ?? [])];
        if (!path) throw invalidParameter('No command specified');
        const record: ContainerRecord = {
          Id: id,
          Name: fullName,
          Created: new Date().toISOString(),
          Path: path,
          Args: args,
          Image: image.id,
          Config: {
            ...merged,
            Hostname:
              config.Hostname ||
              network.sharedWith?.Config.Hostname ||
              (networkMode === 'host' ? hostHostname() : id.slice(0, 12)),
            Image: config.Image,
          },
          HostConfig: withDefaultSwap({
            ...hostConfig,
            NetworkMode: networkMode,
            Runtime: runtime.name,
          }),
          State: createdState(),
          RestartCount: 0,
          StoppedByUser: false,
          NetworkSettings: network.settings,
          TraceParent: run.traceparent(),
          MountPoints: this.deps.mounts.resolve(mountRequest(hostConfig, merged.Volumes)),
        };
        const dir = this.deps.records.dir(id);
        mkdirSync(dir, { recursive: true, mode: 0o710 });
        let rootfs: Mount[];
        try {
          await lease.created;
          const { mounts } = await connection.call<{ mounts: Mount[] }>(
            'snapshots',
            'Prepare',
            { snapshotter: SNAPSHOTTER, key: id, parent: image.chainId },
            { lease: lease.id },
          );
          await this.deps.mounts.copyUp(record.MountPoints ?? [], mounts);
          const user = resolveUser(record.Config.User ?? '', (p) => readRootfsFile(mounts, p));
          const spec = buildSpec({
            record,
            user,
            env: containerEnv(record, user),
            etcFiles: {
              ...writeEtcFiles(dir, record),
              ...(network.sharedWith
                ? sharedEtcFiles(this.deps.records.dir(network.sharedWith.Id))
                : {}),
            },
            netnsPath: network.netnsPath,
            cgroupParent: this.deps.cgroupParent,
          });
          await connection.call(
            'containers',
            'Create',
            {
              container: {
                id,
                image: image.name ?? image.id,
                labels: record.Config.Labels ?? {},
                runtime: { name: runtime.runtimeType, options: runtime.options },
                spec: { type_url: SPEC_TYPE, value: Buffer.from(JSON.stringify(spec)) },
                snapshotter: SNAPSHOTTER,
                snapshot_key: id,
              },
            },
            { lease: lease.id },
          );
          rootfs = mounts;
          // The container now holds its snapshot: the lease goes while the record is written.
          released = lease.release();
          this.deps.records.save(record);
        } catch (err) {
          await connection
            .call('snapshots', 'Remove', { snapshotter: SNAPSHOTTER, key: id })
            .catch(() => undefined);
          rmSync(dir, { recursive: true, force: true });
          await this.deps.mounts.release(record.MountPoints ?? [], true);
          throw err;
        }
        const container = this.adopt(record);
        container.rootfs = rootfs;
        container.taskMayExist = false;
        this.emit(container, 'create');
        return container;
      } finally {
        await (released ?? lease.release());
      }
    };
    try {
      const container = await withSpan(
        tracer,
        'dockerd.container.create',
        attributes,
        create,
        run.context,
      );
      container.run = run;
      return container;
    } catch (err) {
      run.end(err);
      throw err;
    }
  }

  async start(ref: string): Promise<void> {
    const container = this.get(ref);
    if (container.running) throw notModified('container already started');
    container.record.StoppedByUser = false;
    await this.startTask(container);
  }

  private async startTask(container: Container): Promise<void> {
    if (!container.run?.open) {
      const { record } = container;
      container.run = ContainerRun.open(
        ROOT_CONTEXT,
        containerAttributes(record),
        record.TraceParent,
      );
      record.TraceParent = container.run.traceparent();
    }
    const { run } = container;
    await withContainerSpan('dockerd.container.start', container, async (_span, trace) => {
      const connection = this.deps.connection.tracing(trace);
      const id = container.id;
      const mounts =
        container.rootfs ??
        (
          await connection.call<{ mounts: Mount[] }>('snapshots', 'Mounts', {
            snapshotter: SNAPSHOTTER,
            key: id,
          })
        ).mounts;
      const { paths, stdio } = await this.attachIo(container, true);
      try {
        await this.deps.network.prepare(container.record, (ref) => this.get(ref), trace);
        await this.deps.mounts.activate(container.record.MountPoints ?? []);
        container.taskMayExist = true;
        await connection.call(
          'tasks',
          'Create',
          {
            container_id: id,
            rootfs: mounts,
            stdin: paths.stdin,
            stdout: paths.stdout,
            stderr: paths.stderr,
            terminal: !!container.record.Config.Tty,
            options: this.deps.runtimes.resolve(container.record.HostConfig.Runtime as string)
              .options,
          },
          { deadlineMs: 60_000 },
        );
        const { pid } = await connection.call<{ pid: number }>('tasks', 'Start', {
          container_id: id,
        });
        stdio.connectStdin();
        Object.assign(container.record.State, {
          Status: 'running',
          Pid: pid,
          OOMKilled: false,
          ExitCode: 0,
          Error: '',
          StartedAt: new Date().toISOString(),
        });
      } catch (err) {
        container.stdio?.close();
        container.stdio = undefined;
        await this.reapTask(container, connection);
        await this.deps.network
          .release(container.record, trace)
          .catch((e: unknown) =>
            this.deps.logger.warn({ err: e, container: id }, 'network release failed'),
          );
        const message = (err as { details?: string }).details ?? (err as Error).message;
        Object.assign(container.record.State, {
          Status: 'created',
          Error: message,
          ExitCode: 128,
        });
        this.deps.records.save(container.record);
        // As moby: a --rm container that fails to start is removed (the CLI waits for that).
        if (container.record.HostConfig.AutoRemove) {
          await this.remove(container.id, { force: true, volumes: true }, trace).catch(
            (e: unknown) => this.deps.logger.warn({ err: e, container: id }, 'auto-remove failed'),
          );
        }
        throw Object.assign(new Error(message), { statusCode: 500 });
      }
      this.deps.records.save(container.record);
      this.emit(container, 'start');
      void this.watchExit(container);
    }).catch(async (err: unknown) => {
      this.endRun(container);
      // As Docker: a --rm container that failed to start is removed (`docker run` waits for it).
      if (container.record.HostConfig.AutoRemove) {
        await this.remove(container.id, { force: true }).catch((e: unknown) =>
          this.deps.logger.warn({ err: e, container: container.id }, 'auto-remove failed'),
        );
      }
      run.end(err);
      throw err;
    });
  }

  private async attachIo(container: Container, fresh: boolean) {
    const { Config } = container.record;
    const dir = join(this.deps.execRoot, container.id);
    const paths = stdioPaths(dir, 'init', !!Config.OpenStdin, !!Config.Tty);
    if (fresh) for (const p of Object.values(paths)) if (p) rmSync(p, { force: true });
    container.log ??= new JsonLogWriter(this.logPath(container.id));
    const stdio = await openStdio(paths, container.hub, container.log);
    container.stdio = stdio;
    return { paths, stdio };
  }

  logPath(id: string): string {
    return join(this.deps.records.dir(id), `${id}-json.log`);
  }

  private async watchExit(container: Container): Promise<void> {
    // The wait, the exit and an auto-remove belong to the run, not to the start that spawned us.
    const { run } = container;
    await this.followExit(container, run?.context ?? ROOT_CONTEXT);
    run?.end();
  }

  private async followExit(container: Container, runTrace: Context): Promise<void> {
    let status = 255;
    let error = '';
    try {
      // A span of its own: the Wait call may reach a busy containerd late, and that time is
      // dockerd's wait too (else the trace shows a gap between start and containerd's wait).
      status = await withContainerSpan(
        'dockerd.container.wait',
        container,
        (_span, trace) => waitTaskExit(this.deps.connection.tracing(trace), container.id),
        runTrace,
      );
    } catch (err) {
      error = (err as Error).message;
    }
    await withContainerSpan('dockerd.container.exit', container, async (_span, trace) => {
      const connection = this.deps.connection.tracing(trace);
      // Output written before the exit must reach the log and attached clients first.
      await Promise.race([container.stdio?.drained, new Promise((r) => setTimeout(r, 2000))]);
      // A kill the live /tasks/oom event did not report (e.g. containerd was away) shows here.
      // Only a SIGKILLed init is asked about: the question costs a cgroup read in the shim.
      const killed =
        status === SIGKILL_STATUS && (await taskWasOomKilled(connection, container.id));
      const unreported = killed && !container.record.State.OOMKilled;
      if (killed) container.record.State.OOMKilled = true;
      // The process is gone: its namespace can go while containerd deletes the task.
      await Promise.all([
        this.reapTask(container, connection),
        this.deps.network
          .release(container.record, trace)
          .catch((err: unknown) =>
            this.deps.logger.warn({ err, container: container.id }, 'network release failed'),
          ),
      ]);
      container.stdio?.close();
      container.stdio = undefined;
      if (unreported) this.emit(container, 'oom');
      this.markExited(container, status, error);
      this.emit(container, 'die', { exitCode: String(status) });
      await this.deps.mounts.deactivate(container.record.MountPoints ?? []);
    });
    await this.afterExit(container, runTrace);
  }

  private markExited(container: Container, code: number, error: string) {
    Object.assign(container.record.State, {
      Status: 'exited',
      Pid: 0,
      ExitCode: code,
      Error: error,
      FinishedAt: new Date().toISOString(),
    });
    if (this.containers.has(container.id)) this.deps.records.save(container.record);
    const status = container.exitStatus();
    for (const waiter of container.exitWaiters) waiter(status);
    container.exitWaiters.clear();
    this.endRun(container);
  }

  private endRun(container: Container) {
    for (const waiter of container.runEndWaiters) waiter();
    container.runEndWaiters.clear();
  }

  /** Auto-remove (part of the run's trace) or a restart (a run of its own). */
  private async afterExit(container: Container, trace: Context) {
    const { record } = container;
    const policy = record.HostConfig.RestartPolicy ?? {};
    const code = record.State.ExitCode;
    const restart =
      !record.StoppedByUser &&
      (policy.Name === 'always' ||
        policy.Name === 'unless-stopped' ||
        (policy.Name === 'on-failure' &&
          code !== 0 &&
          (!policy.MaximumRetryCount || record.RestartCount < policy.MaximumRetryCount)));
    if (record.HostConfig.AutoRemove && !restart) {
      await this.remove(container.id, { force: true, volumes: true }, trace).catch((err: unknown) =>
        this.deps.logger.warn({ err }, 'auto-remove failed'),
      );
      return;
    }
    if (restart && this.containers.has(container.id)) {
      // The restart is a run of its own (a new trace, linked to this one).
      container.run?.end();
      record.RestartCount++;
      record.State.Status = 'restarting';
      await new Promise((r) => setTimeout(r, 100 * 2 ** Math.min(record.RestartCount - 1, 8)));
      if (record.State.Status === 'restarting' && !record.StoppedByUser) {
        await this.startTask(container).catch((err: unknown) =>
          this.deps.logger.warn({ err }, 'restart failed'),
        );
      }
    }
  }

  /** Deletes the task (and its shim) if one exists; `connection` may carry a trace. */
  private async reapTask(
    container: Container,
    connection: ContainerdConnection = this.deps.connection,
  ): Promise<void> {
    await connection.call('tasks', 'Delete', { container_id: container.id }).then(
      () => (container.taskMayExist = false),
      (err: unknown) => {
        if (grpcCode(err) === GrpcCode.NOT_FOUND) container.taskMayExist = false;
        else this.deps.logger.warn({ err, container: container.id }, 'task delete failed');
      },
    );
  }

  async kill(ref: string, signal = 'SIGKILL', byUser = true): Promise<void> {
    const container = this.get(ref);
    if (!container.running) throw conflict(`Container ${container.id} is not running`);
    if (byUser) container.record.StoppedByUser = true;
    const number = signalNumber(signal);
    const exited = number === SIGKILL ? this.wait(container, 'next-exit') : undefined;
    await this.deps.connection.call('tasks', 'Kill', {
      container_id: container.id,
      signal: number,
      all: false,
    });
    this.emit(container, 'kill', { signal: String(number) });
    // moby's SIGKILL answers once the container is down (`docker kill; docker inspect` sees
    // it exited); bounded, as a frozen task dies only when thawed.
    if (exited) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, KILL_WAIT_MS)))]);
      clearTimeout(timer);
    }
  }

  /** containerd's /tasks/oom for a container: moby marks it OOM-killed and emits `oom` at once. */
  async noteOom(id: string): Promise<void> {
    const container = this.containers.get(id);
    if (!container?.running) return;
    if (!(await taskCgroupExists(this.deps.connection, id))) return;
    if (!container.running || container.record.State.OOMKilled) return;
    container.record.State.OOMKilled = true;
    this.emit(container, 'oom');
  }

  /** Until the next exit or a failed start: an attach ends then, as dockerd's does. */
  runEnded(container: Container): Promise<void> {
    return new Promise((resolve) => container.runEndWaiters.add(resolve));
  }

  wait(container: Container, condition: string): Promise<ExitStatus> {
    if (condition === 'removed')
      return new Promise((resolve) => container.removeWaiters.add(resolve));
    if (condition !== 'next-exit' && !container.running)
      return Promise.resolve(container.exitStatus());
    return new Promise((resolve) => container.exitWaiters.add(resolve));
  }

  async stop(ref: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const container = this.get(ref);
    if (!container.running) throw notModified('container already stopped');
    await withContainerSpan('dockerd.container.stop', container, async () => {
      const exited = this.wait(container, 'next-exit');
      if (container.record.State.Status === 'paused') await this.unpause(ref);
      const timeout = timeoutSeconds ?? container.record.Config.StopTimeout ?? 10;
      await this.kill(ref, signal || container.record.Config.StopSignal || 'SIGTERM').catch(
        () => undefined,
      );
      const timedOut =
        timeout < 0
          ? false
          : await Promise.race([exited.then(() => false), sleep(timeout * 1000).then(() => true)]);
      if (timedOut && container.running) await this.kill(ref, 'SIGKILL').catch(() => undefined);
      await exited;
      this.emit(container, 'stop');
    });
  }

  async restart(ref: string, timeoutSeconds?: number): Promise<void> {
    const container = this.get(ref);
    if (container.running) await this.stop(ref, timeoutSeconds);
    container.record.StoppedByUser = false;
    await this.startTask(container);
    this.emit(container, 'restart');
  }

  /** `parent`: the trace an auto-remove belongs to (the run's exit, or its failed start). */
  async remove(
    ref: string,
    options: { force: boolean; volumes?: boolean },
    parent?: Context,
  ): Promise<void> {
    const container = this.get(ref);
    const removeContainer = async (_span: Span, trace: Context) => {
      if (container.running) {
        if (!options.force) {
          throw conflict(
            `cannot remove container "${container.record.Name}": container is running: stop the container before removing or force remove`,
          );
        }
        container.record.HostConfig.AutoRemove = false;
        if (container.record.State.Status === 'restarting') {
          // Between two runs there is no task: the pending restart sees this and gives up.
          container.record.StoppedByUser = true;
        } else {
          const exited = this.wait(container, 'next-exit');
          // As moby: a task that exited just now (its exit not yet handled) is not an error.
          await this.kill(ref, 'SIGKILL').catch((err: unknown) => {
            if (grpcCode(err) !== GrpcCode.NOT_FOUND) throw err;
          });
          await exited;
        }
      }
      const connection = this.deps.connection.tracing(trace);
      await this.deps.network.release(container.record, trace);
      this.containers.delete(container.id);
      if (container.taskMayExist) await this.reapTask(container, connection);
      const gone = (err: unknown) => {
        if (grpcCode(err) !== GrpcCode.NOT_FOUND) throw err;
      };
      // Independent records: one round trip for both.
      await Promise.all([
        connection.call('containers', 'Delete', { id: container.id }).catch(gone),
        connection
          .call('snapshots', 'Remove', { snapshotter: SNAPSHOTTER, key: container.id })
          .catch(gone),
      ]);
      container.log?.close();
      this.deps.records
        .remove(container.id)
        .catch((err: unknown) =>
          this.deps.logger.warn({ err, container: container.id }, 'removing files failed'),
        );
      rmSync(join(this.deps.execRoot, container.id), { recursive: true, force: true });
      await this.deps.mounts.release(container.record.MountPoints ?? [], !!options.volumes);
      this.emit(container, 'destroy');
      const status = container.exitStatus();
      for (const waiter of container.removeWaiters) waiter(status);
    };
    await withContainerSpan('dockerd.container.remove', container, removeContainer, parent);
    // A container removed before it ever ran ends its run here.
    container.run?.end();
  }

  async pause(ref: string): Promise<void> {
    const container = this.get(ref);
    if (container.record.State.Status !== 'running')
      throw conflict(`Container ${container.id} is not running`);
    await this.deps.connection.call('tasks', 'Pause', { container_id: container.id });
    container.record.State.Status = 'paused';
    this.deps.records.save(container.record);
    this.emit(container, 'pause');
  }

  async unpause(ref: string): Promise<void> {
    const container = this.get(ref);
    if (container.record.State.Status !== 'paused')
      throw conflict(`Container ${container.id} is not paused`);
    await this.deps.connection.call('tasks', 'Resume', { container_id: container.id });
    container.record.State.Status = 'running';
    this.deps.records.save(container.record);
    this.emit(container, 'unpause');
  }

  rename(ref: string, newName: string): void {
    const container = this.get(ref);
    const name = validateName(newName);
    const holder = this.list().find((c) => c.record.Name === name);
    if (holder && holder !== container) {
      throw conflict(
        `Conflict. The container name "${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    const oldName = container.record.Name;
    container.record.Name = name;
    this.deps.records.save(container.record);
    this.emit(container, 'rename', { oldName });
  }

  async resize(ref: string, height: number, width: number, execId = ''): Promise<void> {
    const container = this.get(ref);
    if (!container.running) throw conflict(`Container ${container.id} is not running`);
    await this.deps.connection.call('tasks', 'ResizePty', {
      container_id: container.id,
      exec_id: execId,
      width,
      height,
    });
    if (!execId) this.emit(container, 'resize', { height: String(height), width: String(width) });
  }

  async pids(ref: string): Promise<number[]> {
    const container = this.get(ref);
    if (!container.running) throw conflict(`Container ${container.id} is not running`);
    const { processes } = await this.deps.connection.call<{ processes: { pid: number }[] }>(
      'tasks',
      'ListPids',
      { container_id: container.id },
    );
    return processes.map((p) => p.pid);
  }

  /** The container's runtime spec, as stored in containerd. */
  async spec(container: Container): Promise<{ process: Record<string, unknown> }> {
    const { container: c } = await this.deps.connection.call<{
      container: { spec: { value: Buffer } };
    }>('containers', 'Get', { id: container.id });
    return JSON.parse(c.spec.value.toString('utf8')) as { process: Record<string, unknown> };
  }
}

/** Docker's merge of the image config into the create request (runconfig merge). */
export function mergeImageConfig(user: CreateConfig, image: CreateConfig): CreateConfig {
  const merged: CreateConfig = { ...user };
  const env = new Map<string, string>();
  for (const e of [...(image.Env ?? []), ...(user.Env ?? [])]) env.set(e.split('=')[0]!, e);
  merged.Env = [...env.values()];
  if (!merged.Entrypoint?.length) {
    if (!merged.Cmd?.length) merged.Cmd = image.Cmd ?? null;
    if (merged.Entrypoint == null) merged.Entrypoint = image.Entrypoint ?? null;
  }
  merged.WorkingDir ||= image.WorkingDir ?? '';
  merged.User ||= image.User ?? '';
  merged.Labels = { ...(image.Labels ?? {}), ...(user.Labels ?? {}) };
  merged.StopSignal ||= image.StopSignal;
  if (image.ExposedPorts || user.ExposedPorts)
    merged.ExposedPorts = { ...(image.ExposedPorts ?? {}), ...(user.ExposedPorts ?? {}) };
  if (image.Volumes || user.Volumes)
    merged.Volumes = { ...(image.Volumes ?? {}), ...(user.Volumes ?? {}) };
  return merged;
}

/** /etc/hostname, /etc/hosts and /etc/resolv.conf for the container, in its directory. */
function writeEtcFiles(dir: string, record: ContainerRecord) {
  const hostname = join(dir, 'hostname');
  const hosts = join(dir, 'hosts');
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(hostname, `${record.Config.Hostname}\n`);
  writeFileSync(
    hosts,
    [
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      `127.0.0.1\t${record.Config.Hostname}`,
      '',
    ].join('\n'),
  );
  let resolv = '';
  try {
    resolv = readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    // a host without resolv.conf gives the container an empty one, as Docker does
  }
  writeFileSync(resolvConf, resolv);
  return { hostname, hosts, resolvConf };
}

export function signalNumber(signal: string): number {
  if (/^\d+$/.test(signal)) return Number(signal);
  const name = signal.toUpperCase().startsWith('SIG')
    ? signal.toUpperCase()
    : `SIG${signal.toUpperCase()}`;
  const number = (osConstants.signals as Record<string, number>)[name];
  if (number === undefined) throw invalidParameter(`Invalid signal: ${signal}`);
  return number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
