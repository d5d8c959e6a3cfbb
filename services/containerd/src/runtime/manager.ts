import { TtrpcClient, TtrpcError, Code } from '@berth/ttrpc';
import { protoRoot, LOADER_OPTIONS } from '@berth/proto';
import { existsSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { trace, type Context } from '@opentelemetry/api';
import { withSpan } from '@berth/telemetry';
import { alreadyExists, failedPrecondition, notFound } from '../core/errdefs';
import type { Container, ContainerStore } from '../core/metadata/containers';
import type { OpContext } from '../core/metadata/context';
import {
  bundlePaths,
  createBundle,
  emptyTrash,
  removeBundle,
  TASK_PLUGIN_DIR,
  type BundlePaths,
} from './bundle';
import { openShimLog } from './shim-log';
import { ShimClient, type Message } from './shim-client';
import { deleteShim, startShim, type ShimLaunch } from './shim-binary';

const tracer = trace.getTracer('berth-containerd');

export interface TaskManagerOptions {
  root: string;
  state: string;
  /** The daemon's gRPC socket address, passed to shims as `-address`. */
  address: string;
  /** Handed to shims as `-publish-binary`; they use it only when ttrpc forwarding fails. */
  publishBinary: string;
  containers: ContainerStore;
  log: Logger;
}

export interface Task {
  namespace: string;
  id: string;
  bundle: BundlePaths;
  launch: ShimLaunch;
  shim: ShimClient;
  closeLog: () => void;
}

export interface CreateOptions {
  rootfs: Message[];
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
  options?: Message | null;
}

const encodeAny = (a: { typeUrl: string; value: Uint8Array }) => {
  const type = protoRoot().lookupType('google.protobuf.Any');
  return type.encode(type.fromObject({ type_url: a.typeUrl, value: a.value })).finish();
};

const anyMessage = (a: { typeUrl: string; value: Uint8Array } | undefined) =>
  a && { type_url: a.typeUrl, value: a.value };

/** True for the failures that mean the shim process is gone. */
const shimGone = (err: unknown) => err instanceof TtrpcError && err.code === Code.Unavailable;

/** Runtime v2's task manager (runtime/v2/manager.go): one shim per task, bundles on disk. */
export class TaskManager {
  private readonly tasks = new Map<string, Task>();

  constructor(private readonly opts: TaskManagerOptions) {}

  private launchFor(ns: string, c: Container, bundle: BundlePaths): ShimLaunch {
    return {
      runtime: c.runtime.name,
      namespace: ns,
      id: c.id,
      bundle: bundle.path,
      address: this.opts.address,
      publishBinary: this.opts.publishBinary,
    };
  }

  get(ctx: OpContext, id: string): Task {
    const t = this.tasks.get(`${ctx.namespace}/${id}`);
    if (!t) throw notFound(`no running task found: task ${id}`);
    return t;
  }

  list(ctx: OpContext): Task[] {
    return [...this.tasks.values()].filter((t) => t.namespace === ctx.namespace);
  }

  async create(
    ctx: OpContext,
    c: Container,
    req: CreateOptions,
  ): Promise<{ task: Task; pid: number }> {
    const key = `${ctx.namespace}/${c.id}`;
    if (this.tasks.has(key)) throw alreadyExists(`task ${c.id}`);
    if (!c.spec) throw failedPrecondition(`container ${c.id} has no spec`);
    const bundle = bundlePaths(this.opts.state, this.opts.root, ctx.namespace, c.id);
    if (existsSync(bundle.path)) throw alreadyExists(`task ${c.id}`);
    createBundle(bundle, c.spec.value);
    const launch = this.launchFor(ctx.namespace, c, bundle);
    let shim: ShimClient | undefined;
    let closeLog = () => {};
    try {
      closeLog = openShimLog(bundle.path, this.opts.log.child({ id: c.id }));
      const address = await withSpan(
        tracer,
        'containerd.shim.start',
        {
          'container.id': c.id,
          'containerd.namespace': ctx.namespace,
          'containerd.runtime': c.runtime.name,
        },
        () => startShim(launch, c.runtime.options && encodeAny(c.runtime.options)),
        ctx.trace,
      );
      writeFileSync(join(bundle.path, 'address'), address);
      shim = new ShimClient(await TtrpcClient.connect(address), ctx.namespace);
      const res = await shim.call(
        'Create',
        'CreateTaskRequest',
        // As upstream's shim task: without task options the container's runtime options
        // (`ctr run --runc-binary`, dockerd's runtime BinaryName) reach the shim's Create.
        {
          id: c.id,
          bundle: bundle.path,
          ...req,
          options: req.options ?? anyMessage(c.runtime.options),
        },
        'CreateTaskResponse',
        ctx.trace,
      );
      const task = { namespace: ctx.namespace, id: c.id, bundle, launch, shim, closeLog };
      this.tasks.set(key, task);
      return { task, pid: Number(res.pid) };
    } catch (err) {
      await this.cleanupShim(launch, shim).catch((e: unknown) =>
        this.opts.log.warn({ err: e, id: c.id }, 'failed to clean up shim after create error'),
      );
      closeLog();
      this.discard(bundle);
      throw err;
    }
  }

  /** Deletes the init process, shuts the shim down and removes the bundle. */
  async delete(ctx: OpContext, id: string): Promise<Message> {
    const task = this.get(ctx, id);
    let res: Message;
    try {
      res = await task.shim.call('Delete', 'DeleteRequest', { id }, 'DeleteResponse', ctx.trace);
    } catch (err) {
      if (!shimGone(err)) throw err;
      res = await this.deleteWithBinary(task.launch);
    }
    this.tasks.delete(`${ctx.namespace}/${id}`);
    await this.shutdown(task.shim, id, ctx.trace);
    task.closeLog();
    this.discard(task.bundle);
    return res;
  }

  /** Removes a bundle; its files are deleted in the background (see removeBundle). */
  private discard(bundle: BundlePaths): void {
    removeBundle(bundle).catch((err: unknown) =>
      this.opts.log.warn({ err, bundle: bundle.path }, 'failed to delete a removed bundle'),
    );
  }

  private async shutdown(shim: ShimClient, id: string, trace?: Context): Promise<void> {
    await shim.call('Shutdown', 'ShutdownRequest', { id }, undefined, trace).catch(() => undefined);
    await shim.close();
  }

  private async deleteWithBinary(launch: ShimLaunch): Promise<Message> {
    const out = await deleteShim(launch);
    const type = protoRoot().lookupType('containerd.task.v2.DeleteResponse');
    return type.toObject(type.decode(out), LOADER_OPTIONS) as Message;
  }

  private async cleanupShim(launch: ShimLaunch, shim: ShimClient | undefined): Promise<void> {
    if (shim) {
      await shim.call('Delete', 'DeleteRequest', { id: launch.id }).catch(() => undefined);
      await this.shutdown(shim, launch.id);
    }
    await this.deleteWithBinary(launch);
  }

  /**
   * Daemon start (manager.go loadExistingTasks): reconnects to every bundle's shim and
   * cleans up bundles whose shim is gone or whose container no longer exists.
   */
  async reconnect(): Promise<void> {
    await emptyTrash(this.opts.state, this.opts.root);
    const base = join(this.opts.state, TASK_PLUGIN_DIR);
    for (const ns of await readdir(base).catch(() => [] as string[])) {
      for (const id of await readdir(join(base, ns)).catch(() => [] as string[])) {
        await this.reconnectOne(ns, id).catch((err: unknown) =>
          this.opts.log.warn({ err, namespace: ns, id }, 'failed to load task'),
        );
      }
    }
  }

  private async reconnectOne(ns: string, id: string): Promise<void> {
    const bundle = bundlePaths(this.opts.state, this.opts.root, ns, id);
    let container: Container | undefined;
    try {
      container = this.opts.containers.get({ namespace: ns }, id);
    } catch {
      container = undefined;
    }
    const address = await readFile(join(bundle.path, 'address'), 'utf8').catch(() => undefined);
    if (container && address) {
      const launch = this.launchFor(ns, container, bundle);
      try {
        const shim = new ShimClient(await TtrpcClient.connect(address.trim()), ns);
        await shim.call('Connect', 'ConnectRequest', { id }, 'ConnectResponse');
        const closeLog = openShimLog(bundle.path, this.opts.log.child({ id }));
        this.tasks.set(`${ns}/${id}`, { namespace: ns, id, bundle, launch, shim, closeLog });
        return;
      } catch (err) {
        this.opts.log.info({ err, namespace: ns, id }, 'shim gone, cleaning up bundle');
      }
      await this.deleteWithBinary(launch).catch(() => undefined);
    }
    await removeBundle(bundle);
  }

  async close(): Promise<void> {
    for (const t of this.tasks.values()) t.closeLog();
    await Promise.all([...this.tasks.values()].map((t) => t.shim.close()));
    this.tasks.clear();
  }
}
