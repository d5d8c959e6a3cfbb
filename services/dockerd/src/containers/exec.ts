// docker exec: a process added to a running container's task (Tasks.Exec), with its own
// FIFOs and stream hub, and its exit code kept for GET /exec/{id}/json.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { withSpan } from '@berth/telemetry';
import { trace } from '@opentelemetry/api';
import { parseDetachKeys } from '../api/detach-keys';
import { conflict, notFound } from '../api/errors';
import type { ContainerdConnection } from '../containerd/connection';
import { SNAPSHOTTER } from '../images/unpack';
import type { Container, ContainerManager } from './manager';
import { readRootfsFile, type Mount } from './rootfs-files';
import { openStdio, stdioPaths, StreamHub } from './stdio';
import { resolveUser } from './user';

const PROCESS_TYPE = 'types.containerd.io/opencontainers/runtime-spec/1/Process';
const tracer = trace.getTracer('berth-dockerd');

export interface ExecConfig {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  Env?: string[] | null;
  Cmd?: string[];
  WorkingDir?: string;
  User?: string;
  Privileged?: boolean;
  DetachKeys?: string;
}

export class Exec {
  readonly hub = new StreamHub();
  running = false;
  exitCode: number | null = null;
  pid = 0;
  /** Resolves when the process has exited and its output is drained. */
  done?: Promise<void>;
  constructor(
    readonly id: string,
    readonly container: Container,
    readonly config: ExecConfig,
  ) {}

  inspect() {
    const { config } = this;
    return {
      ID: this.id,
      Running: this.running,
      ExitCode: this.exitCode,
      ProcessConfig: {
        tty: !!config.Tty,
        entrypoint: config.Cmd?.[0] ?? '',
        arguments: config.Cmd?.slice(1) ?? [],
        privileged: !!config.Privileged,
        user: config.User ?? '',
      },
      OpenStdin: !!config.AttachStdin,
      OpenStderr: !!config.AttachStderr,
      OpenStdout: !!config.AttachStdout,
      CanRemove: false,
      ContainerID: this.container.id,
      DetachKeys: config.DetachKeys ?? '',
      Pid: this.pid,
    };
  }
}

export class ExecManager {
  private readonly execs = new Map<string, Exec>();

  constructor(
    private readonly connection: ContainerdConnection,
    private readonly containers: ContainerManager,
    private readonly execRoot: string,
  ) {}

  create(ref: string, config: ExecConfig): Exec {
    const container = this.containers.get(ref);
    if (!container.running) throw conflict(`container ${container.id} is not running`);
    if (container.record.State.Status === 'paused')
      throw conflict(`container ${container.id} is paused, unpause the container before exec`);
    if (!config.Cmd?.length)
      throw Object.assign(new Error('No exec command specified'), { statusCode: 400 });
    parseDetachKeys(config.DetachKeys ?? '', 'escape keys'); // refused here, as Docker does
    const exec = new Exec(randomBytes(32).toString('hex'), container, config);
    this.execs.set(exec.id, exec);
    this.containers.emit(container, `exec_create: ${config.Cmd.join(' ')}`, { execID: exec.id });
    return exec;
  }

  get(id: string): Exec {
    const exec = this.execs.get(id);
    if (!exec) throw notFound(`No such exec instance: ${id}`);
    return exec;
  }

  idsOf(container: Container): string[] {
    return [...this.execs.values()]
      .filter((e) => e.container === container && e.running)
      .map((e) => e.id);
  }

  assertStartable(exec: Exec): void {
    if (exec.running || exec.exitCode !== null) {
      throw conflict(`Error: Exec command ${exec.id} has already run`);
    }
  }

  /** Starts the process; `done` settles once it exited and its output was delivered. */
  async start(exec: Exec): Promise<void> {
    this.assertStartable(exec);
    await withSpan(
      tracer,
      'dockerd.exec.start',
      { 'container.id': exec.container.id },
      async (_span, trace) => {
        // The span's context goes with the calls: dockerd does not follow it through awaits.
        const connection = this.connection.tracing(trace);
        const { config, container } = exec;
        const base = (await this.containers.spec(container)).process;
        const process: Record<string, unknown> = {
          ...base,
          terminal: !!config.Tty,
          args: config.Cmd,
          env: [...((base.env as string[]) ?? []), ...(config.Env ?? [])],
          cwd: config.WorkingDir || base.cwd,
        };
        if (config.User) {
          const { mounts } = await connection.call<{ mounts: Mount[] }>('snapshots', 'Mounts', {
            snapshotter: SNAPSHOTTER,
            key: container.id,
          });
          const user = resolveUser(config.User, (p) => readRootfsFile(mounts, p));
          process.user = { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids };
        }
        const paths = stdioPaths(
          join(this.execRoot, container.id),
          exec.id,
          !!config.AttachStdin,
          !!config.Tty,
        );
        const ids = { container_id: container.id, exec_id: exec.id };
        exec.hub.onStdinClosed = () => connection.call('tasks', 'CloseIO', { ...ids, stdin: true });
        const stdio = await openStdio(paths, exec.hub);
        try {
          await connection.call('tasks', 'Exec', {
            ...ids,
            stdin: paths.stdin,
            stdout: paths.stdout,
            stderr: paths.stderr,
            terminal: !!config.Tty,
            spec: { type_url: PROCESS_TYPE, value: Buffer.from(JSON.stringify(process)) },
          });
          exec.pid = (await connection.call<{ pid: number }>('tasks', 'Start', ids)).pid;
          stdio.connectStdin();
        } catch (err) {
          stdio.close();
          await connection.call('tasks', 'DeleteProcess', ids).catch(() => undefined);
          throw err;
        }
        exec.running = true;
        this.containers.emit(container, `exec_start: ${(config.Cmd ?? []).join(' ')}`, {
          execID: exec.id,
        });
        exec.done = (async () => {
          const { exit_status } = await connection
            .call<{ exit_status: number }>('tasks', 'Wait', ids, { deadlineMs: 0 })
            .catch(() => ({ exit_status: 126 }));
          await Promise.race([stdio.drained, new Promise((r) => setTimeout(r, 2000))]);
          stdio.close();
          await connection.call('tasks', 'DeleteProcess', ids).catch(() => undefined);
          exec.exitCode = exit_status;
          exec.running = false;
          this.containers.emit(container, 'exec_die', {
            execID: exec.id,
            exitCode: String(exit_status),
          });
        })();
      },
    );
  }
}
