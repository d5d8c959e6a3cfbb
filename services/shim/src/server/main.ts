// The long-lived group server (`serve`, spawned by `start`): restores the group's containers,
// then serves containerd.task.v2.Task on the group socket until no container is left.
import { once } from 'node:events';
import { closeSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { dirname } from 'node:path';
import { createLogger, startTelemetry } from '@berth/telemetry';
import { socketPath, TtrpcServer } from '@berth/ttrpc';
import type { ShimFlags } from '../flags';
import { groupStateDir, type GroupKey } from '../paths';
import { accepts } from '../start';
import { Container, type GroupContext } from './container';
import { writeRespawnScript } from './respawn';
import { EventPublisher } from './events';
import { loadState, Registry } from './state';
import { IdleTimer } from './idle-timer';
import { TaskService } from './task-service';

/** How long a server without containers waits for new ones before it exits. */
const IDLE_MS = Number(process.env.BERTH_SHIM_IDLE_MS ?? 30_000);
/** How long a stopping server still tries to deliver queued events. */
const STOP_GRACE_MS = 2000;
/** fd 3: the pipe on which `start` waits for "ready". */
const READY_FD = 3;

export async function serve(flags: ShimFlags): Promise<void> {
  const log = createLogger('shim', { level: flags.debug ? 'debug' : undefined });
  const key: GroupKey = { address: flags.address, namespace: flags.namespace, group: flags.id };
  const socketDir = groupStateDir(key);
  if (!(await becomeGroupServer(flags.socket))) return ready(); // a sibling serves the group

  const events = new EventPublisher(process.env.TTRPC_ADDRESS ?? `${flags.address}.ttrpc`, log);
  const registry = new Registry(socketDir);
  const server = new TtrpcServer();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // containerd keeps its connection open, so waiting for it to close would never end; and
    // events for a containerd that is away get a short grace, not the full retry period.
    await server.close();
    const grace = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([Promise.all([events.close(), telemetry.then((t) => t.shutdown())]), grace]);
    process.exit(0);
  };
  await mkdir(socketDir, { recursive: true });
  const group = { socketDir, respawn: await writeRespawnScript(socketDir, flags.socket), log };
  const tasks = new TaskService({
    namespace: flags.namespace,
    group,
    registry,
    events,
    log,
    onIdle: () => idle.arm(),
  });
  // Linger when idle so a burst of short-lived containers pays for one server start-up.
  const idle = new IdleTimer(IDLE_MS, () => tasks.containers.size === 0 && void stop());
  server.register('containerd.task.v2.Task', tasks.methods());
  // Listen before restoring: a containerd reconnecting meanwhile queues instead of failing,
  // and its calls wait for the restore (TaskService.restored).
  removeStaleSocket(flags.socket);
  // containerd creates the socket directory, but a shim started on a fresh /run (another
  // containerd's, or a test) must not depend on that: upstream's shim creates it too.
  await mkdir(dirname(socketPath(flags.socket)), { recursive: true, mode: 0o711 });
  await server.listen(flags.socket);
  // Trace contexts are handed down explicitly (TaskService): no AsyncLocalStorage.
  const telemetry = startTelemetry({ service: 'shim', contextPropagation: 'sync' });
  tasks.restored = restore(tasks, registry, group, log);
  await tasks.restored;
  if (tasks.containers.size === 0) idle.arm();
  process.on('SIGTERM', () => void stop());
  // One container's failure must not take the group's other containers' server down.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  log.info({ socket: flags.socket, containers: tasks.containers.size }, 'shim server listening');
  ready();
}

async function restore(
  tasks: TaskService,
  registry: Registry,
  group: GroupContext,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  for (const bundle of await registry.bundles()) {
    const state = await loadState(bundle);
    if (!state) continue;
    const container = await Container.restore(state, group, tasks.listener);
    tasks.containers.set(state.id, container);
    log.info({ id: state.id, status: state.init.status }, 'restored container');
  }
}

/**
 * Waits until this process holds the group lock (true) or a sibling serves the group (false);
 * a sibling that is shutting down still holds the lock but no longer accepts.
 */
async function becomeGroupServer(socket: string): Promise<boolean> {
  for (;;) {
    if (await holdGroupLock(socket)) return true;
    if (await accepts(socket)) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One server per group: an abstract unix socket named after the group socket is the lock.
 * Binding it is atomic and the kernel releases it when the holder dies, however it dies.
 */
async function holdGroupLock(socket: string): Promise<boolean> {
  const lock = net.createServer();
  lock.unref();
  try {
    lock.listen(`\0berth-shim-lock:${socket}`);
    await once(lock, 'listening');
    return true;
  } catch {
    return false;
  }
}

function removeStaleSocket(address: string): void {
  try {
    unlinkSync(socketPath(address));
  } catch {
    // nothing there
  }
}

function ready(): void {
  try {
    writeSync(READY_FD, 'ready\n');
    closeSync(READY_FD);
  } catch {
    // not started by `start` (e.g. by hand): nobody waits
  }
}
