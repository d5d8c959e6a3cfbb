// The shim on a pure cgroup v2 host (run in the vmtest guest: libs/cgroups/test/vm/run-shim-v2.sh),
// with its in-process runtime (berth's) and with runc and crun (Options.binary_name): Stats answer
// io.containerd.cgroups.v2.Metrics read from the container's cgroup, and an OOM kill in it
// is published as /tasks/oom and counted in memory_events.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '@berth/oci';
import { TtrpcClient, TtrpcServer } from '@berth/ttrpc';
import { decode, encode } from '../src/proto';
import { buildShim, rmdirQuietly, taskCaller } from './helpers/harness';

const NAMESPACE = `berth-shim-v2-${process.pid}`;
const PURE_V2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
const MiB = 1024 * 1024;
/** berth's in-process runtime (no binary_name), and runc and crun by binary. */
const RUNTIMES = ['berth', 'runc', 'crun'];

interface V2Metrics {
  pids: { current: string; limit: string };
  cpu: { usage_usec: string };
  memory: { usage: string; usage_limit: string };
  memory_events: { oom_kill: string } | null;
}

// Skipped on a v1 or hybrid host, where the v1 Metrics path of task-api.test.ts applies.
describe.skipIf(!PURE_V2)('shim on cgroup v2', { tags: ['kernel'] }, () => {
  let dir: string;
  let client: TtrpcClient;
  const topics: { topic: string; id: string }[] = [];
  const eventServer = new TtrpcServer();

  const call = taskCaller(() => client, NAMESPACE, 60_000);

  /** A bundle whose busybox runs `args` in cgroup /<namespace>/<id> with the given limits. */
  function bundle(id: string, args: string[], memory: number): string {
    const path = join(dir, NAMESPACE, id);
    mkdirSync(join(path, 'rootfs', 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(path, 'rootfs', 'bin', 'busybox'));
    writeFileSync(join(path, 'config.json'), JSON.stringify(ociConfig(id, args, memory)));
    return path;
  }

  async function create(id: string, runtime: string, args: string[], memory: number) {
    const options = {
      type_url: 'containerd.runc.v1.Options',
      value: encode('containerd.runc.v1.Options', {
        binary_name: runtime === 'berth' ? '' : runtime,
        root: join(dir, runtime),
      }),
    };
    const path = bundle(id, args, memory);
    await call('Create', 'CreateTaskRequest', { id, bundle: path, options }, 'CreateTaskResponse');
    await call('Start', 'StartRequest', { id }, 'StartResponse');
  }

  async function stats(id: string): Promise<{ type: string; metrics: V2Metrics }> {
    const { stats } = await call<{ stats: { type_url: string; value: Uint8Array } }>(
      'Stats',
      'StatsRequest',
      { id },
      'StatsResponse',
    );
    return { type: stats.type_url, metrics: decode<V2Metrics>(stats.type_url, stats.value) };
  }

  async function waitExit(id: string): Promise<number> {
    const { exit_status } = await call<{ exit_status: number }>(
      'Wait',
      'WaitRequest',
      { id },
      'WaitResponse',
    );
    return exit_status;
  }

  beforeAll(async () => {
    const shim = buildShim();
    dir = mkdtempSync(join(tmpdir(), 'berth-shim-v2-'));
    eventServer.register('containerd.services.events.ttrpc.v1.Events', {
      Forward: async (bytes) => {
        const { envelope } = decode<{
          envelope: { topic: string; event: { type_url: string; value: Uint8Array } };
        }>('containerd.services.events.ttrpc.v1.ForwardRequest', bytes);
        const event = decode<{ container_id: string }>(
          envelope.event.type_url,
          envelope.event.value,
        );
        topics.push({ topic: envelope.topic, id: event.container_id });
        return encode('google.protobuf.Empty', {});
      },
    });
    await eventServer.listen(join(dir, 'events.sock'));
    const env = {
      ...process.env,
      TTRPC_ADDRESS: join(dir, 'events.sock'),
      BERTH_SHIM_STATE: join(dir, 'shim-state'),
    };
    const args = ['-namespace', NAMESPACE, '-address', join(dir, 'containerd.sock'), '-id', 'v2'];
    mkdirSync(join(dir, 'group'));
    const address = startShim(shim, [...args, 'start'], { cwd: join(dir, 'group'), env });
    client = await TtrpcClient.connect(address.toString());
  }, 180_000);

  afterAll(async () => {
    await call('Shutdown', 'ShutdownRequest', { id: 'v2' }).catch(() => undefined);
    await client?.close();
    await eventServer.close();
    for (const runtime of RUNTIMES) {
      for (const id of [`${runtime}-limits`, `${runtime}-oom`]) {
        const root = join(dir, runtime, NAMESPACE);
        if (runtime === 'berth') await new Runtime({ root }).delete(id, true).catch(() => {});
        else spawnSync(runtime, ['--root', root, 'delete', '--force', id]);
        rmdirQuietly(`/sys/fs/cgroup/${NAMESPACE}/${id}`);
      }
    }
    rmdirQuietly(`/sys/fs/cgroup/${NAMESPACE}`);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const runtime of RUNTIMES) {
    it(`${runtime}: Stats are the container cgroup's v2 metrics`, async () => {
      const id = `${runtime}-limits`;
      await create(id, runtime, ['/bin/busybox', 'sleep', '60'], 64 * MiB);
      const { type, metrics } = await stats(id);
      expect(type).toBe('io.containerd.cgroups.v2.Metrics');
      expect(metrics.pids).toEqual({ current: '1', limit: '50' });
      expect(metrics.memory.usage_limit).toBe(String(64 * MiB));
      expect(Number(metrics.memory.usage)).toBeGreaterThan(0);
      expect(Number(metrics.cpu.usage_usec)).toBeGreaterThan(0);
      await call('Kill', 'KillRequest', { id, signal: 9 });
      expect(await waitExit(id)).toBe(137);
      await call('Delete', 'DeleteRequest', { id }, 'DeleteResponse');
    }, 180_000);

    it(`${runtime}: an OOM kill is published as /tasks/oom and counted in memory_events`, async () => {
      const id = `${runtime}-oom`;
      // dd's 64 MiB block buffer does not fit in 16 MiB (and no swap: swap limit = memory limit).
      const hog = ['/bin/busybox', 'dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'];
      await create(id, runtime, hog, 16 * MiB);
      expect(await waitExit(id)).toBe(137);
      const { metrics } = await stats(id);
      expect(Number(metrics.memory_events?.oom_kill)).toBeGreaterThanOrEqual(1);
      await expect.poll(() => topics).toContainEqual({ topic: '/tasks/oom', id });
      await call('Delete', 'DeleteRequest', { id }, 'DeleteResponse');
    }, 180_000);
  }

  function ociConfig(id: string, args: string[], memory: number) {
    return {
      ociVersion: '1.0.2',
      process: { user: { uid: 0, gid: 0 }, args, env: ['PATH=/bin'], cwd: '/' },
      root: { path: 'rootfs' },
      hostname: id,
      mounts: [
        { destination: '/proc', type: 'proc', source: 'proc' },
        { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'mode=755'] },
      ],
      linux: {
        cgroupsPath: `/${NAMESPACE}/${id}`,
        resources: {
          memory: { limit: memory, swap: memory },
          cpu: { quota: 50_000, period: 100_000 },
          pids: { limit: 50 },
        },
        namespaces: [{ type: 'pid' }, { type: 'mount' }, { type: 'ipc' }, { type: 'uts' }],
      },
    };
  }
});

/** `start`, with the server's log in the error when it does not come up. */
function startShim(shim: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
  try {
    return execFileSync(shim, args, options);
  } catch (err) {
    const log = /see:? (\S+)/.exec(String((err as { stderr?: Buffer }).stderr))?.[1];
    throw new Error(`${String(err)}\n${log ? readFileSync(log, 'utf8') : ''}`);
  }
}
