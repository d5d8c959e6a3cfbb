// Interop with Debian's real containerd-shim-runc-v2 (containerd 1.6): our CLIENT drives the
// shim's containerd.task.v2.Task API, and our SERVER plays containerd's event endpoint, which
// the shim's own ttrpc client (github.com/containerd/ttrpc) calls with every task event.
import { execFile, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  constants,
} from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Code,
  decodeResponse,
  encodeFrame,
  FrameReader,
  MAX_MESSAGE_LENGTH,
  MessageType,
  oversizeMessage,
  socketPath,
  TtrpcClient,
  TtrpcError,
  TtrpcServer,
  type CallOptions,
} from '../src/index';
import {
  EVENTS_SERVICE,
  message,
  Task,
  TASK_SERVICE,
  TaskStatus,
  type Rpc,
} from './fixtures/containerd-api';

const NAMESPACE = 'berthtest';
// containerd names the namespace in every shim call's ttrpc metadata.
const callOptions: CallOptions = {
  metadata: { 'containerd-namespace-ttrpc': [NAMESPACE] },
  timeoutMs: 10_000,
};

interface Envelope {
  namespace: string;
  topic: string;
  event: { type_url: string; value: Uint8Array };
}
const forwardRequest = message<{ envelope: Envelope }>(
  'containerd.services.events.ttrpc.v1.ForwardRequest',
);
const taskExit = message<{ container_id: string; id: string; pid: number; exit_status: number }>(
  'containerd.events.TaskExit',
);
const empty = message<object>('google.protobuf.Empty');

const ociConfig = {
  ociVersion: '1.0.2',
  process: {
    terminal: false,
    user: { uid: 0, gid: 0 },
    args: ['/bin/busybox', 'true'],
    env: ['PATH=/bin'],
    cwd: '/',
  },
  root: { path: 'rootfs' },
  hostname: NAMESPACE,
  mounts: [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'mode=755'] },
  ],
  linux: {
    namespaces: [
      { type: 'pid' },
      { type: 'mount' },
      { type: 'ipc' },
      { type: 'uts' },
      { type: 'network' },
    ],
  },
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of the shim daemon `start` spawned for this id and address (no pid file in 1.6). */
function findShimDaemon(id: string, dir: string): number {
  const wanted = ['-id', id, '-address', join(dir, 'containerd.sock')].join('\0');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('/usr/bin/containerd-shim-runc-v2\0') && cmdline.includes(wanted))
        return Number(entry);
    } catch {
      // the process exited while we looked
    }
  }
  return 0;
}

describe('interop with containerd-shim-runc-v2', { tags: ['kernel'] }, () => {
  const id = `ttrpc-${process.pid}`;
  let dir: string;
  let bundle: string;
  let shimAddress: string;
  let shimPid: number;
  let shimLog = '';
  let shimLogStream: net.Socket | undefined;
  let client: TtrpcClient;
  const events: Envelope[] = [];
  const forwardTimeouts: number[] = [];
  const eventServer = new TtrpcServer();

  async function call<Req extends object, Res extends object>(rpc: Rpc<Req, Res>, req: Req) {
    const bytes = await client.call(TASK_SERVICE, rpc.method, rpc.request.encode(req), callOptions);
    return rpc.response.decode(bytes);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-ttrpc-shim-'));
    bundle = join(dir, NAMESPACE, id);
    mkdirSync(join(bundle, 'rootfs', 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(bundle, 'rootfs', 'bin', 'busybox'));
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(ociConfig));
    // The shim writes its log into a fifo named "log" that containerd reads.
    expect(spawnSync('mkfifo', [join(bundle, 'log')]).status).toBe(0);
    // A non-blocking reader so the shim's blocking open for writing succeeds.
    const logFd = openSync(join(bundle, 'log'), constants.O_RDONLY | constants.O_NONBLOCK);
    shimLogStream = new net.Socket({ fd: logFd, readable: true, writable: false });
    shimLogStream.on('data', (c) => (shimLog += String(c))).on('error', () => {});

    eventServer.register(EVENTS_SERVICE, {
      Forward: async (req, ctx) => {
        forwardTimeouts.push((ctx.deadline ?? 0) - Date.now());
        events.push(forwardRequest.decode(req).envelope);
        return empty.encode({});
      },
    });
    const eventSocket = join(dir, 'containerd.sock.ttrpc');
    await eventServer.listen(eventSocket);

    const start = promisify(execFile)(
      'containerd-shim-runc-v2',
      [
        '-namespace',
        NAMESPACE,
        '-address',
        join(dir, 'containerd.sock'),
        '-publish-binary',
        '/bin/false',
        '-id',
        id,
        'start',
      ],
      { cwd: bundle, env: { ...process.env, TTRPC_ADDRESS: eventSocket } },
    );
    // `start` reads runtime options from stdin until EOF; containerd sends none here.
    start.child.stdin?.end();
    const { stdout } = await start;
    shimAddress = stdout.trim();
    shimPid = findShimDaemon(id, dir);
    client = await TtrpcClient.connect(shimAddress);
  });

  afterAll(async () => {
    await client?.close();
    // Looked up again, by command line, so a recycled pid is never hit; also finds a daemon
    // whose `start` failed half-way.
    const leftover = findShimDaemon(id, dir);
    if (leftover) process.kill(leftover, 'SIGKILL');
    const runcRoot = `/run/containerd/runc/${NAMESPACE}`;
    spawnSync('runc', ['--root', runcRoot, 'delete', '--force', id]);
    try {
      rmdirSync(runcRoot); // only if empty: other tests may share the namespace
    } catch {
      // still in use, or already gone
    }
    if (shimAddress) rmSync(socketPath(shimAddress), { force: true });
    await eventServer.close();
    shimLogStream?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a unix:// ttrpc address and answers Connect with its own pid', async () => {
    expect(shimAddress).toMatch(/^unix:\/\/\/run\/containerd\/s\/[0-9a-f]{64}$/);
    expect(shimPid).toBeGreaterThan(0);
    expect(await call(Task.Connect, { id })).toMatchObject({ shim_pid: shimPid, task_pid: 0 });
  });

  it('reports a task that does not exist as NotFound', async () => {
    const err = await call(Task.State, { id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtrpcError);
    expect((err as TtrpcError).code).toBe(Code.NotFound);
  });

  it('answers unknown methods and oversized frames exactly as our server does', async () => {
    const unknown = await client.call(TASK_SERVICE, 'Nope', new Uint8Array()).catch((e) => e);
    expect(unknown).toMatchObject({ code: Code.Unimplemented, message: 'method Nope' });

    // A raw oversized frame: upstream discards it and answers on its stream id.
    const raw = net.createConnection(socketPath(shimAddress));
    await once(raw, 'connect');
    const length = MAX_MESSAGE_LENGTH + 1;
    const header = encodeFrame(1, MessageType.Request, new Uint8Array());
    header.writeUInt32BE(length, 0);
    raw.write(Buffer.concat([header, Buffer.alloc(length)]));
    const reader = new FrameReader();
    const [frame] = reader.push((await once(raw, 'data'))[0] as Buffer);
    raw.destroy();
    expect(frame?.streamId).toBe(1);
    expect(decodeResponse(frame!.payload!).status).toMatchObject({
      code: Code.ResourceExhausted,
      message: oversizeMessage(length),
    });
  });

  it('runs a task and forwards its events to our server', async () => {
    const { pid } = await call(Task.Create, { id, bundle });
    expect(pid).toBeGreaterThan(0);
    expect(await call(Task.State, { id })).toMatchObject({ status: TaskStatus.CREATED, pid });
    await call(Task.Start, { id });
    expect((await call(Task.Wait, { id })).exit_status).toBe(0);
    expect(await call(Task.State, { id })).toMatchObject({ status: TaskStatus.STOPPED, pid });
    await call(Task.Delete, { id });

    await expect
      .poll(() => events.map((e) => e.topic), { timeout: 10_000 })
      .toEqual(['/tasks/create', '/tasks/start', '/tasks/exit', '/tasks/delete']);
    expect(events.every((e) => e.namespace === NAMESPACE)).toBe(true);
    // The shim's Go client sends each Forward with a 5 s timeout_nano.
    expect(forwardTimeouts).toHaveLength(4);
    for (const ms of forwardTimeouts) {
      expect(ms).toBeGreaterThan(4_000);
      expect(ms).toBeLessThanOrEqual(5_000);
    }
    const exit = events.find((e) => e.topic === '/tasks/exit')!;
    expect(exit.event.type_url).toBe('containerd.events.TaskExit');
    expect(taskExit.decode(exit.event.value)).toMatchObject({
      container_id: id,
      pid,
      exit_status: 0,
    });
  });

  it('shuts down on Shutdown, closing our connection', async () => {
    await call(Task.Shutdown, { id }).catch((e: unknown) => {
      // The shim may exit before its answer is written; a closed connection is then the answer.
      if (!(e instanceof TtrpcError) || e.code !== Code.Unavailable) throw e;
    });
    await client.closed;
    await expect.poll(() => alive(shimPid), { timeout: 10_000 }).toBe(false);
    expect(existsSync(socketPath(shimAddress))).toBe(false);
  }, 20_000);

  afterAll(() => {
    if (process.env.BERTH_TTRPC_SHIM_LOG) process.stderr.write(shimLog);
  });
});
