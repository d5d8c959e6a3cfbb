import type { containerd } from '@berth/proto';
import { errorOf } from '../core/errdefs';
import { parseFilters } from '../core/filters';
import type { ContainerStore } from '../core/metadata/containers';
import type { OpContext } from '../core/metadata/context';
import type { SnapshotStore } from '../core/metadata/snapshots';
import type { TaskManager } from '../runtime/manager';
import type { Message } from '../runtime/shim-client';
import { mountToMsg } from './convert';
import { EMPTY, namespaced } from './grpc';
import type { publisher } from './events';

type Handlers = containerd.services.tasks.v1.TasksHandlers;

/** A tasks.v1 Process from the shim's State answer (local.go getProcessState). */
const processFromState = (containerId: string, s: Message) => ({
  container_id: containerId,
  id: s.exec_id || containerId,
  pid: s.pid,
  status: s.status,
  stdin: s.stdin,
  stdout: s.stdout,
  stderr: s.stderr,
  terminal: s.terminal,
  exit_status: s.exit_status,
  exited_at: s.exited_at,
});

export interface TasksDeps {
  tasks: TaskManager;
  containers: ContainerStore;
  snapshots: SnapshotStore;
  publish: ReturnType<typeof publisher>;
}

/** containerd.services.tasks.v1.Tasks over runtime v2 shims (services/tasks/local.go). */
export function tasksService({ tasks, containers, snapshots, publish }: TasksDeps): Handlers {
  const state = async (ctx: OpContext, id: string, execId = '') => {
    const t = tasks.get(ctx, id);
    return processFromState(
      id,
      await t.shim.call(
        'State',
        'StateRequest',
        { id, exec_id: execId },
        'StateResponse',
        ctx.trace,
      ),
    );
  };
  const shimCall = (
    ctx: OpContext,
    id: string,
    method: string,
    reqType: string,
    req: Message,
    resType?: string,
  ) => tasks.get(ctx, id).shim.call(method, reqType, { id, ...req }, resType, ctx.trace);

  const handlers: Handlers = {
    Create: namespaced(async (ctx, req) => {
      if (req.checkpoint?.digest) throw errorOf('NotImplemented', 'checkpoint restore');
      const c = containers.get(ctx, req.container_id);
      const rootfs =
        req.rootfs.length > 0 || !c.snapshotKey
          ? req.rootfs
          : snapshots.mounts(ctx, c.snapshotKey).map(mountToMsg);
      const { pid } = await tasks.create(ctx, c, {
        rootfs: rootfs as unknown as Message[],
        stdin: req.stdin,
        stdout: req.stdout,
        stderr: req.stderr,
        terminal: req.terminal,
        options: req.options as Message | null,
      });
      return { container_id: c.id, pid };
    }),
    Start: namespaced(async (ctx, req) => {
      const res = await shimCall(
        ctx,
        req.container_id,
        'Start',
        'StartRequest',
        { exec_id: req.exec_id },
        'StartResponse',
      );
      return { pid: res.pid as number };
    }),
    Delete: namespaced(async (ctx, req) => {
      const out = deleteResponse(req.container_id, await tasks.delete(ctx, req.container_id));
      publish(ctx.namespace, '/tasks/delete', 'containerd.events.TaskDelete', {
        container_id: req.container_id,
        pid: out.pid,
        exit_status: out.exit_status,
        exited_at: out.exited_at,
      });
      return out;
    }),
    DeleteProcess: namespaced(async (ctx, req) => {
      const res = await shimCall(
        ctx,
        req.container_id,
        'Delete',
        'DeleteRequest',
        { exec_id: req.exec_id },
        'DeleteResponse',
      );
      return deleteResponse(req.exec_id, res);
    }),
    Get: namespaced(async (ctx, req) => ({
      process: (await state(ctx, req.container_id, req.exec_id)) as never,
    })),
    List: namespaced(async (ctx) => ({
      tasks: (await Promise.all(tasks.list(ctx).map((t) => state(ctx, t.id)))) as never[],
    })),
    Kill: namespaced(async (ctx, req) => {
      await shimCall(ctx, req.container_id, 'Kill', 'KillRequest', {
        exec_id: req.exec_id,
        signal: req.signal,
        all: req.all,
      });
      return EMPTY;
    }),
    Exec: namespaced(async (ctx, req) => {
      if (!req.exec_id) throw errorOf('InvalidArgument', 'exec id');
      await shimCall(ctx, req.container_id, 'Exec', 'ExecProcessRequest', {
        exec_id: req.exec_id,
        terminal: req.terminal,
        stdin: req.stdin,
        stdout: req.stdout,
        stderr: req.stderr,
        spec: req.spec,
      });
      return EMPTY;
    }),
    ResizePty: namespaced(async (ctx, req) => {
      await shimCall(ctx, req.container_id, 'ResizePty', 'ResizePtyRequest', {
        exec_id: req.exec_id,
        width: req.width,
        height: req.height,
      });
      return EMPTY;
    }),
    CloseIO: namespaced(async (ctx, req) => {
      await shimCall(ctx, req.container_id, 'CloseIO', 'CloseIORequest', {
        exec_id: req.exec_id,
        stdin: req.stdin,
      });
      return EMPTY;
    }),
    Pause: namespaced(async (ctx, req) => {
      await shimCall(ctx, req.container_id, 'Pause', 'PauseRequest', {});
      return EMPTY;
    }),
    Resume: namespaced(async (ctx, req) => {
      await shimCall(ctx, req.container_id, 'Resume', 'ResumeRequest', {});
      return EMPTY;
    }),
    ListPids: namespaced(async (ctx, req) => {
      const res = await shimCall(ctx, req.container_id, 'Pids', 'PidsRequest', {}, 'PidsResponse');
      return { processes: res.processes as never[] };
    }),
    Update: namespaced(async (ctx, req) => {
      await shimCall(ctx, req.container_id, 'Update', 'UpdateTaskRequest', {
        resources: req.resources,
        annotations: req.annotations,
      });
      return EMPTY;
    }),
    Wait: namespaced(async (ctx, req) => {
      const res = await shimCall(
        ctx,
        req.container_id,
        'Wait',
        'WaitRequest',
        { exec_id: req.exec_id },
        'WaitResponse',
      );
      return { exit_status: res.exit_status as number, exited_at: res.exited_at as never };
    }),
    Metrics: namespaced(async (ctx, req) => {
      const filter = parseFilters(req.filters);
      const selected = tasks
        .list(ctx)
        .filter((t) =>
          filter(([field]) =>
            field === 'id' ? t.id : field === 'namespace' ? t.namespace : undefined,
          ),
        );
      const metrics = await Promise.all(
        selected.map(async (t) => {
          const res = await t.shim.call(
            'Stats',
            'StatsRequest',
            { id: t.id },
            'StatsResponse',
            ctx.trace,
          );
          return {
            timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
            id: t.id,
            data: res.stats,
          };
        }),
      );
      return { metrics: metrics as never[] };
    }),
    Checkpoint: namespaced(async () => {
      throw errorOf('NotImplemented', 'checkpoint');
    }),
  };
  return handlers;
}

/** A shim's DeleteResponse as the Tasks API answers it, for a task or one of its execs. */
function deleteResponse(id: string, res: Record<string, unknown>) {
  return {
    id,
    pid: res.pid as number,
    exit_status: res.exit_status as number,
    exited_at: res.exited_at as never,
  };
}
