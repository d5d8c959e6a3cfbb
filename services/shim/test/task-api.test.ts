// The Task API driven directly over ttrpc, as containerd would, with our own events endpoint:
// runtime options (BinaryName, Root), Update and Stats on the cgroup, and each event's payload.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TtrpcClient, TtrpcServer } from '@berth/ttrpc';
import { decode, encode } from '../src/proto';
import { buildShim, removeCgroupParent, taskCaller } from './helpers/harness';

const NAMESPACE = `berth-task-api-${process.pid}`;
const ID = 'api1';

interface Event {
  topic: string;
  namespace: string;
  event: Record<string, unknown>;
}

describe('Task API over ttrpc', { tags: ['kernel'] }, () => {
  let dir: string;
  let bundle: string;
  let client: TtrpcClient;
  let shimPid = 0;
  const events: Event[] = [];
  const eventServer = new TtrpcServer();
  const cgroupsPath = `/${NAMESPACE}/${ID}`;

  const call = taskCaller(() => client, NAMESPACE, 10_000);

  beforeAll(async () => {
    const shim = buildShim();
    dir = mkdtempSync(join(tmpdir(), 'berth-task-api-'));
    bundle = join(dir, NAMESPACE, ID);
    mkdirSync(join(bundle, 'rootfs', 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(bundle, 'rootfs', 'bin', 'busybox'));
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(ociConfig(cgroupsPath)));
    // A runtime named by Options.binary_name: runc behind a wrapper that logs its commands.
    writeFileSync(
      join(dir, 'runtime'),
      `#!/bin/sh\necho "$@" >> ${dir}/runtime.log\nexec runc "$@"\n`,
    );
    chmodSync(join(dir, 'runtime'), 0o755);

    eventServer.register('containerd.services.events.ttrpc.v1.Events', {
      Forward: async (bytes) => {
        const { envelope } = decode<{
          envelope: {
            topic: string;
            namespace: string;
            event: { type_url: string; value: Uint8Array };
          };
        }>('containerd.services.events.ttrpc.v1.ForwardRequest', bytes);
        const event = decode<Record<string, unknown>>(
          envelope.event.type_url,
          envelope.event.value,
        );
        events.push({ topic: envelope.topic, namespace: envelope.namespace, event });
        return encode('google.protobuf.Empty', {});
      },
    });
    await eventServer.listen(join(dir, 'events.sock'));

    const env = {
      ...process.env,
      TTRPC_ADDRESS: join(dir, 'events.sock'),
      BERTH_SHIM_STATE: join(dir, 'shim-state'),
      BERTH_SHIM_IDLE_MS: '2000',
    };
    const args = [
      '-namespace',
      NAMESPACE,
      '-address',
      join(dir, 'containerd.sock'),
      '-id',
      ID,
      'start',
    ];
    const address = execFileSync(shim, args, { cwd: bundle, env }).toString();
    expect(readFileSync(join(bundle, 'address'), 'utf8')).toBe(address);
    client = await TtrpcClient.connect(address);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await eventServer.close();
    if (shimPid) spawnSync('kill', ['-9', String(shimPid)]);
    spawnSync('runc', ['--root', join(dir, 'runc'), 'delete', '--force', ID]);
    rmSync(dir, { recursive: true, force: true });
    removeCgroupParent(NAMESPACE);
  });

  it('creates with the runtime options, updates and measures the cgroup, and reports every step', async () => {
    const options = {
      type_url: 'containerd.runc.v1.Options',
      value: encode('containerd.runc.v1.Options', {
        binary_name: join(dir, 'runtime'),
        root: join(dir, 'runc'),
      }),
    };
    const { pid } = await call<{ pid: number }>(
      'Create',
      'CreateTaskRequest',
      { id: ID, bundle, options },
      'CreateTaskResponse',
    );
    expect(pid).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'runtime.log'), 'utf8')).toContain(
      `--root ${join(dir, 'runc')}/${NAMESPACE}`,
    );
    const connect = await call<{ shim_pid: number; task_pid: number }>(
      'Connect',
      'ConnectRequest',
      { id: ID },
      'ConnectResponse',
    );
    shimPid = connect.shim_pid;
    expect(connect.task_pid).toBe(pid);

    await call('Start', 'StartRequest', { id: ID }, 'StartResponse');
    const state = await call<{ status: string; pid: number }>(
      'State',
      'StateRequest',
      { id: ID },
      'StateResponse',
    );
    expect(state).toMatchObject({ status: 'RUNNING', pid });

    const resources = {
      type_url: 'types.containerd.io/opencontainers/runtime-spec/1/LinuxResources',
      value: Buffer.from(JSON.stringify({ pids: { limit: 42 } })),
    };
    await call('Update', 'UpdateTaskRequest', { id: ID, resources });
    expect(readFileSync(`/sys/fs/cgroup/pids${cgroupsPath}/pids.max`, 'utf8').trim()).toBe('42');
    const { stats } = await call<{ stats: { type_url: string; value: Uint8Array } }>(
      'Stats',
      'StatsRequest',
      { id: ID },
      'StatsResponse',
    );
    expect(stats.type_url).toBe('io.containerd.cgroups.v1.Metrics');
    const metrics = decode<{ pids: { current: string; limit: string } }>(
      'io.containerd.cgroups.v1.Metrics',
      stats.value,
    );
    expect(metrics.pids).toEqual({ current: '1', limit: '42' });

    await call('Kill', 'KillRequest', { id: ID, signal: 9 });
    const wait = await call<{ exit_status: number }>(
      'Wait',
      'WaitRequest',
      { id: ID },
      'WaitResponse',
    );
    expect(wait.exit_status).toBe(137);
    const deleted = await call<{ pid: number; exit_status: number }>(
      'Delete',
      'DeleteRequest',
      { id: ID },
      'DeleteResponse',
    );
    expect(deleted).toMatchObject({ pid, exit_status: 137 });
    await expect(call('State', 'StateRequest', { id: ID })).rejects.toThrow(
      `container ${ID}: not found`,
    );

    await expect
      .poll(() => events.map((e) => e.topic))
      .toEqual(['/tasks/create', '/tasks/start', '/tasks/exit', '/tasks/delete']);
    expect(events.every((e) => e.namespace === NAMESPACE)).toBe(true);
    expect(events[0]!.event).toMatchObject({ container_id: ID, bundle, pid });
    expect(events[2]!.event).toMatchObject({ container_id: ID, id: ID, pid, exit_status: 137 });
    expect(events[3]!.event).toMatchObject({ container_id: ID, pid, exit_status: 137 });

    // Shutdown with nothing left: the server exits.
    await call('Shutdown', 'ShutdownRequest', { id: ID });
    await client.closed;
  });
});

function ociConfig(cgroupsPath: string) {
  return {
    ociVersion: '1.0.2',
    process: {
      user: { uid: 0, gid: 0 },
      args: ['/bin/busybox', 'sleep', '60'],
      env: ['PATH=/bin'],
      cwd: '/',
    },
    root: { path: 'rootfs' },
    hostname: ID,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'mode=755'] },
    ],
    linux: {
      cgroupsPath,
      namespaces: [
        { type: 'pid' },
        { type: 'mount' },
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'network' },
      ],
    },
  };
}
