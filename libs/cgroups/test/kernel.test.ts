// Runs for real against this host's cgroups: v1 on the hybrid CI host, v2 inside the vmtest
// guest (test/vm/run-v2.sh sets BERTH_CGROUP_EXPECT=v2 there). Everything is created below this
// process's own cgroup and removed again.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createManager,
  detectHost,
  NodeCgroupFs,
  type CgroupHost,
  type CgroupManager,
} from '../src/index';
import type { V1Manager } from '../src/v1/manager';
import type { V2Manager } from '../src/v2/manager';

const fs = new NodeCgroupFs();
const MiB = 2 ** 20;
let host: CgroupHost;
const live: { manager: CgroupManager; children: ChildProcess[] }[] = [];

/**
 * A fresh cgroup for one test, by a relative cgroupsPath: on v1 below our own cgroup; on v2
 * below its parent (runc's rule), which in the systemd guest is the delegated VMTEST_CGROUP.
 */
async function newCgroup(): Promise<CgroupManager> {
  const name = `berth-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const manager = await createManager(name, { host, timing: { timeoutMs: 10_000 } });
  live.push({ manager, children: [] });
  return manager;
}

/** Spawns a process that the test's cleanup kills; commands wait on stdin until moved. */
function spawnTracked(manager: CgroupManager, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.find((l) => l.manager === manager)?.children.push(child);
  return child;
}

async function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode };
  }
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal };
}

const read = (path: string) => fs.readFile(path).then((s) => s.trim());
const ownCgroupOf = async (pid: number) => read(`/proc/${pid}/cgroup`);

beforeAll(async () => {
  host = await detectHost(fs);
});

afterEach(async () => {
  for (const { manager, children } of live.splice(0)) {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (await manager.exists()) {
      await manager.killAll().catch(() => undefined);
      await manager.delete();
    }
  }
});

describe('cgroup manager on the real kernel', { tags: ['kernel'] }, () => {
  it('uses the backend this host calls for', async () => {
    const expected = process.env.BERTH_CGROUP_EXPECT;
    const manager = await newCgroup();
    if (expected) expect(`v${manager.version}`).toBe(expected);
    expect(manager.version).toBe(host.mode === 'unified' ? 2 : 1);
  });

  it('creates, limits, holds a process, reports, freezes, kills and deletes', async () => {
    const manager = await newCgroup();
    await manager.create();
    expect(await manager.exists()).toBe(true);
    await manager.apply({
      memory: { limit: 64 * MiB },
      cpu: { shares: 512, quota: 50_000, period: 100_000 },
      pids: { limit: 20 },
    });
    if (manager.version === 2) {
      const dir = (manager as V2Manager).dir;
      expect(await read(`${dir}/memory.max`)).toBe(String(64 * MiB));
      expect(await read(`${dir}/cpu.max`)).toBe('50000 100000');
      expect(await read(`${dir}/cpu.weight`)).toBe('59');
      expect(await read(`${dir}/pids.max`)).toBe('20');
    } else {
      const v1 = manager as V1Manager;
      expect(await read(`${v1.dirOf('memory')}/memory.limit_in_bytes`)).toBe(String(64 * MiB));
      expect(await read(`${v1.dirOf('cpu')}/cpu.cfs_quota_us`)).toBe('50000');
      expect(await read(`${v1.dirOf('cpu')}/cpu.shares`)).toBe('512');
      expect(await read(`${v1.dirOf('pids')}/pids.max`)).toBe('20');
    }

    // exec after the move, so the new image's memory is charged here (v1 does not move charges).
    const sleeper = spawnTracked(manager, '/bin/sh', ['-c', 'read x; exec sleep 60']);
    const pid = sleeper.pid ?? 0;
    await manager.addProcess(pid);
    sleeper.stdin?.end('go\n');
    while ((await read(`/proc/${pid}/comm`)) !== 'sleep')
      await new Promise((r) => setTimeout(r, 10));
    expect(await manager.pids()).toEqual([pid]);
    expect(await ownCgroupOf(pid)).toContain(manager.path);

    const stats = await manager.stats();
    expect(stats.pids).toEqual({ current: 1, limit: 20 });
    if (stats.version === 2) {
      expect(stats.memory?.usage).toBeGreaterThan(0);
      expect(stats.memory?.usageLimit).toBe(64 * MiB);
      expect(stats.cpu?.usageUsec).toBeGreaterThanOrEqual(0);
    } else {
      expect(stats.memory?.usage.usage).toBeGreaterThan(0);
      expect(stats.memory?.usage.limit).toBe(64 * MiB);
      expect(stats.cpu?.usage.perCpu.length).toBeGreaterThan(0);
    }

    await manager.freeze();
    expect(await manager.state()).toBe('frozen');
    await manager.thaw();
    expect(await manager.state()).toBe('thawed');

    await manager.killAll();
    expect(await exitOf(sleeper)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await manager.pids()).toEqual([]);
    await manager.delete();
    expect(await manager.exists()).toBe(false);
  });

  it('passes the kernel refusal on, naming file and value, and v2 unified keys through', async () => {
    const manager = await newCgroup();
    await manager.create();
    await expect(manager.apply({ cpu: { cpus: '999' } })).rejects.toThrow(
      /write "999" to \/sys\/fs\/cgroup\/\S+\/cpuset\.cpus: (EINVAL \(invalid argument\)|ERANGE \(numerical result out of range\))/,
    );
    if (manager.version === 2) {
      await manager.apply({ unified: { 'memory.high': String(48 * MiB) } });
      expect(await read(`${(manager as V2Manager).dir}/memory.high`)).toBe(String(48 * MiB));
    }
  });

  it('kills a memory hog at its memory limit (OOM)', async () => {
    const manager = await newCgroup();
    await manager.create();
    // memory == memory+swap: no swap to escape into.
    await manager.apply({ memory: { limit: 50 * MiB, swap: 50 * MiB } });
    const hog = spawnTracked(manager, process.execPath, [
      '-e',
      "process.stdin.once('data', () => { Buffer.alloc(150 * 2 ** 20, 1); console.log('survived'); process.exit(0); })",
    ]);
    await manager.addProcess(hog.pid ?? 0);
    hog.stdin?.end('go\n');
    expect(await exitOf(hog)).toEqual({ code: null, signal: 'SIGKILL' });
    const stats = await manager.stats();
    const oomKills =
      stats.version === 2 ? stats.memoryEvents?.oomKill : stats.memoryOomControl?.oomKill;
    expect(oomKills).toBeGreaterThanOrEqual(1);
  });

  // Needs a block device of its own: run-v2.sh attaches a blank disk and names it here.
  const disk = process.env.BERTH_CGROUP_TEST_DISK;
  it.skipIf(!disk)('throttles and counts writes to a block device', async () => {
    const manager = await newCgroup();
    await manager.create();
    const rdev = statSync(disk ?? '').rdev;
    const [major, minor] = [
      Math.floor(rdev / 256) & 0xfff,
      (rdev & 0xff) | ((rdev >> 12) & 0xfff00),
    ];
    await manager.apply({ blockIO: { throttleWriteBpsDevice: [{ major, minor, rate: MiB }] } });
    const writer = spawnTracked(manager, '/bin/sh', [
      '-c',
      `read x; exec dd if=/dev/zero of=${disk} bs=64K count=32 oflag=direct status=none`,
    ]);
    await manager.addProcess(writer.pid ?? 0);
    const started = Date.now();
    writer.stdin?.end('go\n');
    expect(await exitOf(writer)).toEqual({ code: 0, signal: null });
    // 2 MiB at 1 MiB/s: the first second's budget goes at once, the rest is held back.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const stats = await manager.stats();
    if (stats.version !== 2) throw new Error('io throttling is checked on v2');
    const entry = stats.io?.usage.find((e) => e.major === major && e.minor === minor);
    expect(entry?.wbytes).toBe(2 * MiB);
  });

  it('refuses forks beyond pids.max', async () => {
    const manager = await newCgroup();
    await manager.create();
    await manager.apply({ pids: { limit: 4 } });
    // dash fails a refused fork at once (bash would retry with backoff).
    const forker = spawnTracked(manager, '/bin/sh', [
      '-c',
      'read x; for i in 1 2 3 4 5 6 7 8; do sleep 2 & done; wait',
    ]);
    let stderr = '';
    forker.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await manager.addProcess(forker.pid ?? 0);
    forker.stdin?.end('go\n');
    const peak = await (async () => {
      let max = 0;
      while (forker.exitCode === null && forker.signalCode === null) {
        max = Math.max(max, (await manager.pids()).length);
        await new Promise((r) => setTimeout(r, 20));
      }
      return max;
    })();
    await exitOf(forker);
    expect(stderr).toMatch(/fork/i);
    expect(peak).toBeLessThanOrEqual(4);
  });
});
