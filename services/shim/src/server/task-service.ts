// containerd.task.v2.Task over ttrpc: one server, many containers keyed by id.
import {
  context,
  trace as otel,
  SpanKind,
  SpanStatusCode,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { Code, TtrpcError, type CallContext, type ServiceMethods } from '@berth/ttrpc';
import type { containerd } from '@berth/proto';
import type { ExitRecord } from '@berth/monitor';
import type { Logger } from 'pino';
import { recordDeleteResponse } from '../delete-response';
import { runtimeRoot } from '../paths';
import { decode, encode, EMPTY, packAny } from '../proto';
import { timestamp } from '../timestamp';
import { Container, type ContainerListener, type GroupContext } from './container';
import type { EventName, EventSink } from './events';
import type { RuntimeConfig } from './runtime';
import type { ProcessState, Registry } from './state';
import { taskMetrics } from './stats';

const tracer = otel.getTracer('berth-shim');
const NAMESPACE_KEY = 'containerd-namespace-ttrpc';
const VERSION = '0.1.0';

export interface TaskServiceOptions {
  /** The namespace `start` was given, for calls that carry none in their metadata. */
  namespace: string;
  group: GroupContext;
  registry: Registry;
  events: EventSink;
  log: Logger;
  /** containerd asked the shim to shut down and no container is left. */
  onIdle(): void;
}

export class TaskService {
  readonly containers = new Map<string, Container>();
  /** Settles once the containers the group had before a restart are back; calls wait for it. */
  restored: Promise<void> = Promise.resolve();

  constructor(private readonly opts: TaskServiceOptions) {}

  /** Tells containerd about exits (once, remembering that it did) and OOM kills. */
  readonly listener: ContainerListener = {
    exit: (container, proc, exit) => {
      void this.opts.events
        .publish(container.state.namespace, 'containerd.events.TaskExit', {
          container_id: container.id,
          id: proc.execId || container.id,
          pid: exit.pid,
          exit_status: exit.status,
          exited_at: timestamp(exit.exitedAt),
        })
        .then(() => container.exitPublished(proc));
    },
    oom: (container) =>
      this.publish(container, 'containerd.events.TaskOOM', { container_id: container.id }),
  };

  methods(): ServiceMethods {
    // `trace` is the call span's context, handed down explicitly: the shim runs without an
    // async context manager (see main.ts).
    const handlers: Record<
      string,
      (req: never, ctx: CallContext, trace: Context) => Promise<object | undefined>
    > = {
      Create: (req: containerd.task.v2.CreateTaskRequest__Output, ctx, trace) =>
        this.create(req, ctx, trace),
      Start: (req: containerd.task.v2.StartRequest__Output, _ctx, trace) => this.start(req, trace),
      Delete: (req: containerd.task.v2.DeleteRequest__Output, _ctx, trace) =>
        this.delete(req, trace),
      Exec: (req: containerd.task.v2.ExecProcessRequest__Output) => this.exec(req),
      ResizePty: async (req: containerd.task.v2.ResizePtyRequest__Output) => {
        this.get(req.id).process(req.exec_id).resize(req.height, req.width);
        return undefined;
      },
      CloseIO: async (req: containerd.task.v2.CloseIORequest__Output) => {
        if (req.stdin) this.get(req.id).process(req.exec_id).closeStdin();
        return undefined;
      },
      Kill: async (req: containerd.task.v2.KillRequest__Output, _ctx, trace) => {
        await this.get(req.id).kill(req.exec_id, req.signal, req.all, trace);
        return undefined;
      },
      Pids: (req: containerd.task.v2.PidsRequest__Output) => this.pids(req),
      Pause: async (req: containerd.task.v2.PauseRequest__Output) => {
        const container = this.get(req.id);
        await container.pause();
        this.publish(container, 'containerd.events.TaskPaused', { container_id: req.id });
        return undefined;
      },
      Resume: async (req: containerd.task.v2.ResumeRequest__Output) => {
        const container = this.get(req.id);
        await container.resume();
        this.publish(container, 'containerd.events.TaskResumed', { container_id: req.id });
        return undefined;
      },
      State: async (req: containerd.task.v2.StateRequest__Output) => this.state(req),
      Wait: async (req: containerd.task.v2.WaitRequest__Output) => {
        const exit = await this.get(req.id).process(req.exec_id).exited;
        return { exit_status: exit.status, exited_at: timestamp(exit.exitedAt) };
      },
      Stats: async (req: containerd.task.v2.StatsRequest__Output) => ({
        stats: await taskMetrics(this.get(req.id)),
      }),
      Update: async (req: containerd.task.v2.UpdateTaskRequest__Output) => {
        const resources = Buffer.from(req.resources?.value ?? EMPTY).toString();
        await this.get(req.id).runtime.update(req.id, resources);
        return undefined;
      },
      Connect: async (req: containerd.task.v2.ConnectRequest__Output) => ({
        shim_pid: process.pid,
        task_pid: this.containers.get(req.id)?.init.state.pid ?? 0,
        version: VERSION,
      }),
      Shutdown: async () => {
        if (this.containers.size === 0) this.opts.onIdle();
        return undefined;
      },
      Checkpoint: async () => {
        throw new TtrpcError(Code.Unimplemented, 'checkpoint is not supported by berth');
      },
    };
    const methods: ServiceMethods = {};
    for (const [method, handler] of Object.entries(handlers)) {
      methods[method] = (bytes, ctx) =>
        tracer.startActiveSpan(
          `shim.${method.toLowerCase()}`,
          SPAN_OPTIONS(method),
          async (span) => {
            const trace = context.active(); // the span's, while still synchronous
            try {
              await this.restored;
              const request = decode<never>(REQUESTS[method]!, bytes);
              const id = (request as { id?: string }).id;
              if (id) this.describe(span, id);
              const started = performance.now();
              const response = await handler(request, ctx, trace);
              if (id && method === 'Create') this.describe(span, id);
              this.opts.log.debug({ method, id, ms: performance.now() - started }, 'task call');
              const type = RESPONSES[method];
              return type && response
                ? encode(type, response)
                : encode('google.protobuf.Empty', {});
            } catch (err) {
              span.recordException(err as Error);
              span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
              this.opts.log.warn({ err, method }, 'task call failed');
              throw err;
            } finally {
              span.end();
            }
          },
        );
    }
    return methods;
  }

  /** Container attributes of a call's span; the runtime and namespace once the task exists. */
  private describe(span: Span, id: string): void {
    span.setAttribute('container.id', id);
    const container = this.containers.get(id);
    if (!container) return;
    span.setAttributes({
      'containerd.namespace': container.state.namespace,
      'container.runtime.name': container.runtime.name,
    });
  }

  get(id: string): Container {
    const container = this.containers.get(id);
    if (!container) throw new TtrpcError(Code.NotFound, `container ${id}: not found`);
    return container;
  }

  private async create(
    req: containerd.task.v2.CreateTaskRequest__Output,
    ctx: CallContext,
    trace: Context,
  ) {
    if (this.containers.has(req.id)) {
      throw new TtrpcError(Code.AlreadyExists, `container ${req.id}: already exists`);
    }
    if (req.checkpoint) throw new TtrpcError(Code.Unimplemented, 'restore from checkpoint');
    const namespace = ctx.metadata[NAMESPACE_KEY]?.[0] ?? this.opts.namespace;
    const container = await Container.create(
      {
        id: req.id,
        namespace,
        bundle: req.bundle,
        rootfs: req.rootfs,
        stdin: req.stdin,
        stdout: req.stdout,
        stderr: req.stderr,
        terminal: req.terminal,
        runtime: runtimeConfig(req, namespace),
      },
      this.opts.group,
      this.listener,
      trace,
    );
    this.containers.set(req.id, container);
    await this.opts.registry.add(req.id, req.bundle);
    const pid = container.init.state.pid;
    this.publish(container, 'containerd.events.TaskCreate', {
      container_id: req.id,
      bundle: req.bundle,
      rootfs: req.rootfs,
      io: { stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, terminal: req.terminal },
      checkpoint: req.checkpoint,
      pid,
    });
    return { pid };
  }

  private async start(req: containerd.task.v2.StartRequest__Output, trace: Context) {
    const container = this.get(req.id);
    const proc = await container.start(req.exec_id, trace);
    if (req.exec_id) {
      this.publish(container, 'containerd.events.TaskExecStarted', {
        container_id: req.id,
        exec_id: req.exec_id,
        pid: proc.pid,
      });
    } else {
      this.publish(container, 'containerd.events.TaskStart', {
        container_id: req.id,
        pid: proc.pid,
      });
    }
    return { pid: proc.pid };
  }

  private async exec(req: containerd.task.v2.ExecProcessRequest__Output) {
    const container = this.get(req.id);
    await container.addExec(req.exec_id, req.spec?.value ?? EMPTY, req);
    this.publish(container, 'containerd.events.TaskExecAdded', {
      container_id: req.id,
      exec_id: req.exec_id,
    });
    return undefined;
  }

  private async delete(req: containerd.task.v2.DeleteRequest__Output, trace: Context) {
    const container = this.get(req.id);
    const proc = await container.delete(req.exec_id, trace);
    const exit = exitOf(proc);
    if (!req.exec_id) {
      await recordDeleteResponse(container.state.bundle, {
        pid: proc.pid,
        exitStatus: exit.status,
        exitedAt: exit.exitedAt,
      });
      this.containers.delete(req.id);
      await this.opts.registry.remove(req.id);
      this.publish(container, 'containerd.events.TaskDelete', {
        container_id: req.id,
        pid: proc.pid,
        exit_status: exit.status,
        exited_at: timestamp(exit.exitedAt),
        id: req.id,
      });
    }
    return { pid: proc.pid, exit_status: exit.status, exited_at: timestamp(exit.exitedAt) };
  }

  private async pids(req: containerd.task.v2.PidsRequest__Output) {
    const container = this.get(req.id);
    const execByPid = new Map(
      Object.values(container.state.execs).map((exec) => [exec.pid, exec.execId]),
    );
    const pids = await container.runtime.ps(req.id);
    return {
      processes: pids.map((pid) => {
        const execId = execByPid.get(pid);
        return execId
          ? { pid, info: packAny('containerd.runc.v1.ProcessDetails', { exec_id: execId }) }
          : { pid };
      }),
    };
  }

  private state(req: containerd.task.v2.StateRequest__Output) {
    const container = this.get(req.id);
    const proc = container.process(req.exec_id).state;
    const paused = req.exec_id === '' && container.state.paused && proc.status === 'running';
    return {
      id: req.exec_id || req.id,
      bundle: container.state.bundle,
      pid: proc.pid,
      status: paused ? 'PAUSED' : proc.status.toUpperCase(),
      stdin: proc.stdin,
      stdout: proc.stdout,
      stderr: proc.stderr,
      terminal: proc.terminal,
      exit_status: proc.exitStatus ?? 0,
      exited_at: proc.exitedAt ? timestamp(new Date(proc.exitedAt)) : undefined,
      exec_id: req.exec_id,
    };
  }

  /** Queues an event in order; the answer to containerd does not wait for its delivery. */
  private publish(container: Container, name: EventName, event: object): void {
    void this.opts.events.publish(container.state.namespace, name, event);
  }
}

function exitOf(proc: ProcessState): ExitRecord {
  return {
    pid: proc.pid,
    status: proc.exitStatus ?? 0,
    exitedAt: proc.exitedAt ? new Date(proc.exitedAt) : new Date(),
  };
}

function runtimeConfig(
  req: containerd.task.v2.CreateTaskRequest__Output,
  namespace: string,
): RuntimeConfig {
  let options: Partial<containerd.runc.v1.Options__Output> = {};
  if (req.options?.type_url.endsWith('containerd.runc.v1.Options')) {
    options = decode<containerd.runc.v1.Options__Output>(
      'containerd.runc.v1.Options',
      req.options.value,
    );
  }
  const binary = options.binary_name || undefined;
  return {
    binary,
    root: runtimeRoot(namespace, binary, options.root),
    systemdCgroup: options.systemd_cgroup ?? false,
    logFile: `${req.bundle}/log.json`,
  };
}

const SPAN_OPTIONS = (method: string) => ({
  kind: SpanKind.SERVER,
  attributes: {
    'rpc.system': 'ttrpc',
    'rpc.service': 'containerd.task.v2.Task',
    'rpc.method': method,
  },
});

const REQUESTS: Record<string, string> = Object.fromEntries(
  Object.entries({
    Create: 'CreateTaskRequest',
    Start: 'StartRequest',
    Delete: 'DeleteRequest',
    Exec: 'ExecProcessRequest',
    ResizePty: 'ResizePtyRequest',
    CloseIO: 'CloseIORequest',
    Kill: 'KillRequest',
    Pids: 'PidsRequest',
    Pause: 'PauseRequest',
    Resume: 'ResumeRequest',
    State: 'StateRequest',
    Wait: 'WaitRequest',
    Stats: 'StatsRequest',
    Update: 'UpdateTaskRequest',
    Connect: 'ConnectRequest',
    Shutdown: 'ShutdownRequest',
    Checkpoint: 'CheckpointTaskRequest',
  }).map(([method, type]) => [method, `containerd.task.v2.${type}`]),
);

const RESPONSES: Record<string, string> = {
  Create: 'containerd.task.v2.CreateTaskResponse',
  Start: 'containerd.task.v2.StartResponse',
  Delete: 'containerd.task.v2.DeleteResponse',
  Pids: 'containerd.task.v2.PidsResponse',
  State: 'containerd.task.v2.StateResponse',
  Wait: 'containerd.task.v2.WaitResponse',
  Stats: 'containerd.task.v2.StatsResponse',
  Connect: 'containerd.task.v2.ConnectResponse',
};
