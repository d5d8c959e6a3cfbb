import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CgroupError, managerFor, MAX_UINT64, type ProcessControl } from '../src/index';
import type { V2Manager } from '../src/v2/manager';
import { fakeV2, V2_HOST } from './fake-kernel';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const FAST = { pollMs: 1, timeoutMs: 200 };
const CG = '/sys/fs/cgroup/berth/c1';

function setup(processes?: ProcessControl) {
  const fs = fakeV2();
  const manager = managerFor(V2_HOST, '/berth/c1', { fs, processes, timing: FAST }) as V2Manager;
  return { fs, manager };
}

const writesUnder = (fs: ReturnType<typeof fakeV2>, dir: string) =>
  fs.writes
    .filter((w) => w.path.startsWith(`${dir}/`))
    .map((w) => [w.path.slice(dir.length + 1), w.value]);

describe('V2Manager on a fake cgroupfs', () => {
  it('creates the path and enables every controller on each level above it', async () => {
    const { fs, manager } = setup();
    expect(manager.dir).toBe(CG);
    expect(await manager.exists()).toBe(false);
    await manager.create();
    expect(await manager.exists()).toBe(true);
    expect(fs.content('/sys/fs/cgroup/cgroup.subtree_control')).toBe(
      'cpuset cpu io memory hugetlb pids',
    );
    expect(fs.content('/sys/fs/cgroup/berth/cgroup.subtree_control')).toBe(
      'cpuset cpu io memory hugetlb pids',
    );
    expect(fs.content(`${CG}/cgroup.controllers`)).toBe('cpuset cpu io memory hugetlb pids');
    // The leaf itself keeps no controllers for children: it will hold the container's processes.
    expect(fs.content(`${CG}/cgroup.subtree_control`)).toBe('');
    const before = fs.writes.length;
    await manager.create();
    expect(fs.writes.length).toBe(before);
  });

  it('enables controllers one by one when the set is refused, and removes what it made on failure', async () => {
    const { fs, manager } = setup();
    fs.failNextWrite('/sys/fs/cgroup/cgroup.subtree_control', 'EBUSY');
    await manager.create();
    expect(fs.content('/sys/fs/cgroup/berth/cgroup.controllers')).toBe(
      'cpuset cpu io memory hugetlb pids',
    );

    const other = setup();
    other.fs.failNextWrite('/sys/fs/cgroup/berth/cgroup.subtree_control', 'ENOENT');
    await expect(other.manager.create()).rejects.toThrow(/cgroup\.subtree_control: ENOENT/);
    expect(other.fs.hasDir('/sys/fs/cgroup/berth')).toBe(false);
  });

  it('writes a full linux.resources object with runc conversions', async () => {
    const { fs, manager } = setup();
    await manager.create();
    await manager.apply({
      pids: { limit: 64 },
      memory: { limit: 100 * 2 ** 20, swap: 300 * 2 ** 20, reservation: 50 * 2 ** 20 },
      blockIO: {
        weight: 500,
        throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }],
        throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 100 }],
      },
      cpu: { shares: 1024, quota: 50000, period: 100000, cpus: '0-1', mems: '0' },
      hugepageLimits: [{ pageSize: '2MB', limit: 4194304 }],
      unified: { 'memory.high': '90000000' },
    });
    expect(writesUnder(fs, CG)).toEqual([
      ['pids.max', '64'],
      ['memory.swap.max', String(200 * 2 ** 20)],
      ['memory.max', String(100 * 2 ** 20)],
      ['memory.low', String(50 * 2 ** 20)],
      ['io.weight', '4950'],
      ['io.max', '8:0 rbps=1048576'],
      ['io.max', '8:0 wiops=100'],
      ['cpu.weight', '100'],
      ['cpu.max', '50000 100000'],
      ['cpuset.cpus', '0-1'],
      ['cpuset.mems', '0'],
      ['hugetlb.2MB.max', '4194304'],
      ['hugetlb.2MB.rsvd.max', '4194304'],
      ['memory.high', '90000000'],
    ]);
  });

  it('handles the memory special cases: -1 is max, memory == swap disables swap', async () => {
    const { fs, manager } = setup();
    await manager.create();
    await manager.apply({ memory: { limit: -1 } });
    await manager.apply({ memory: { limit: 1000, swap: 1000 } });
    await manager.apply({ pids: { limit: -1 }, cpu: { quota: -1, period: 100000 } });
    expect(writesUnder(fs, CG)).toEqual([
      ['memory.swap.max', 'max'],
      ['memory.max', 'max'],
      ['memory.swap.max', '0'],
      ['memory.max', '1000'],
      ['pids.max', 'max'],
      ['cpu.max', 'max 100000'],
    ]);
    await expect(manager.apply({ memory: { swap: 5000 } })).rejects.toThrow(
      'unable to set swap limit without memory limit',
    );
  });

  it('refuses a limit below usage when checkBeforeUpdate is set', async () => {
    const { fs, manager } = setup();
    await manager.create();
    fs.setFile(`${CG}/memory.current`, '5000\n');
    await expect(
      manager.apply({ memory: { limit: 4096, checkBeforeUpdate: true } }),
    ).rejects.toThrow('rejecting memory limit 4096 below the current usage 5000');
    expect(fs.content(`${CG}/memory.max`)).toBe('max');
  });

  it('names the file and value when the kernel refuses a write', async () => {
    const { fs, manager } = setup();
    await manager.create();
    fs.failNextWrite(`${CG}/cpu.max`, 'EINVAL');
    const err = await manager.apply({ cpu: { quota: 500, period: 100 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CgroupError);
    expect((err as CgroupError).code).toBe('EINVAL');
    expect((err as Error).message).toBe(
      `write "500 100" to ${CG}/cpu.max: EINVAL (invalid argument)`,
    );
  });

  it('says which controller is missing', async () => {
    const fs = fakeV2(['cpu', 'pids']);
    const manager = managerFor(V2_HOST, '/x', { fs, timing: FAST });
    await manager.create();
    await expect(manager.apply({ memory: { limit: 4096 } })).rejects.toThrow(
      /memory\.max: ENOENT .*the memory controller is not available in this cgroup/,
    );
    await expect(manager.apply({ unified: { 'memory.high': '1' } })).rejects.toThrow(
      'unified resource "memory.high" can\'t be set: controller memory not available',
    );
  });

  it('rejects unified keys that would leave the cgroup directory', async () => {
    const { fs, manager } = setup();
    await manager.create();
    const before = fs.writes.length;
    for (const key of ['../memory.max', 'memory.max/..', 'cgroup.procs/../../x', 'noprefix']) {
      await expect(manager.apply({ unified: { [key]: '1' } })).rejects.toThrow(
        'CONTROLLER.PARAMETER',
      );
    }
    expect(fs.writes.length).toBe(before);
  });

  it('refuses realtime cpu settings, which v2 lacks', async () => {
    const { manager } = setup();
    await manager.create();
    await expect(manager.apply({ cpu: { realtimeRuntime: 1000 } })).rejects.toThrow(
      'not supported on cgroup v2',
    );
  });

  it('adds processes, lists them with descendants', async () => {
    const { fs, manager } = setup();
    await manager.create();
    await manager.addProcess(101);
    await manager.addProcess(102);
    fs.addDir(`${CG}/sub`);
    fs.setFile(`${CG}/sub/cgroup.procs`, '103\n');
    expect((await manager.pids()).sort()).toEqual([101, 102, 103]);
    await expect(manager.addProcess(-3)).rejects.toThrow('invalid pid -3');
  });

  it('retries adding a task still in TASK_NEW (EINVAL)', async () => {
    const { fs, manager } = setup();
    await manager.create();
    fs.failNextWrite(`${CG}/cgroup.procs`, 'EINVAL');
    await manager.addProcess(7);
    expect(await manager.pids()).toEqual([7]);
  });

  it('freezes and thaws, waiting for cgroup.events', async () => {
    const { manager } = setup();
    await manager.create();
    expect(await manager.state()).toBe('thawed');
    await manager.freeze();
    expect(await manager.state()).toBe('frozen');
    await manager.thaw();
    expect(await manager.state()).toBe('thawed');
  });

  it('reports freezing, and fails and says so when tasks never stop', async () => {
    const fs = fakeV2(undefined, { freezeCompletes: false });
    const manager = managerFor(V2_HOST, '/berth/c1', { fs, timing: FAST });
    await manager.create();
    await expect(manager.freeze()).rejects.toThrow(
      `timed out after 200 ms waiting for ${CG}/cgroup.events to report frozen 1`,
    );
    expect(await manager.state()).toBe('freezing');
  });

  it('kills through cgroup.kill and waits for the cgroup to empty', async () => {
    const { fs, manager } = setup();
    await manager.create();
    await manager.addProcess(5);
    await manager.killAll();
    expect(fs.writes.some((w) => w.path === `${CG}/cgroup.kill` && w.value === '1')).toBe(true);
    expect(await manager.pids()).toEqual([]);
  });

  it('falls back to freezing and signalling each pid without cgroup.kill or for other signals', async () => {
    const sent: [number, NodeJS.Signals | number][] = [];
    const processes: ProcessControl = {
      kill(pid, signal) {
        sent.push([pid, signal]);
        if (pid === 12) throw Object.assign(new Error('gone'), { code: 'ESRCH' });
      },
    };
    const { fs, manager } = setup(processes);
    await manager.create();
    await manager.addProcess(11);
    await manager.addProcess(12);
    await manager.killAll('SIGTERM');
    expect(sent).toEqual([
      [11, 'SIGTERM'],
      [12, 'SIGTERM'],
    ]);
    const freezes = fs.writes.filter((w) => w.path === `${CG}/cgroup.freeze`).map((w) => w.value);
    expect(freezes).toEqual(['1', '0']);
    expect(await manager.state()).toBe('thawed');
  });

  it('signals each pid for SIGKILL without cgroup.kill, and waits for them to go', async () => {
    const fs = fakeV2(undefined, { hasKill: false });
    const exits: ProcessControl = { kill: () => fs.setFile(`${CG}/cgroup.procs`, '') };
    const manager = managerFor(V2_HOST, '/berth/c1', { fs, processes: exits, timing: FAST });
    await manager.create();
    await manager.addProcess(9);
    await manager.killAll();
    expect(await manager.pids()).toEqual([]);

    const immortal = fakeV2(undefined, { hasKill: false });
    const stuck = managerFor(V2_HOST, '/berth/c1', {
      fs: immortal,
      processes: { kill: () => undefined },
      timing: FAST,
    });
    await stuck.create();
    await stuck.addProcess(9);
    await expect(stuck.killAll()).rejects.toThrow(
      'timed out after 200 ms waiting for /berth/c1 to empty',
    );
  });

  it('deletes the subtree, retrying while tasks drain', async () => {
    const { fs, manager } = setup();
    await manager.create();
    fs.addDir(`${CG}/child`);
    fs.setFile(`${CG}/child/cgroup.procs`, '44\n');
    const deleting = manager.delete();
    setTimeout(() => fs.setFile(`${CG}/child/cgroup.procs`, ''), 20);
    await deleting;
    expect(await manager.exists()).toBe(false);
    expect(fs.hasDir('/sys/fs/cgroup/berth')).toBe(true);
    await manager.delete();
  });

  it('reads stats from real kernel 6.1 files', async () => {
    const { fs, manager } = setup();
    await manager.create();
    fs.setFile(`${CG}/memory.stat`, fixture('v2-memory.stat'));
    fs.setFile(`${CG}/cpu.stat`, fixture('v2-cpu.stat'));
    fs.setFile(`${CG}/memory.events`, fixture('v2-memory.events'));
    fs.setFile(`${CG}/io.stat`, fixture('v2-io.stat'));
    fs.setFile(`${CG}/memory.current`, '35454976\n');
    fs.setFile(`${CG}/memory.max`, '104857600\n');
    fs.setFile(`${CG}/pids.current`, '3\n');
    fs.setFile(`${CG}/pids.max`, '10\n');
    const stats = await manager.stats();
    if (stats.version !== 2) throw new Error('expected v2 stats');
    expect(stats.pids).toEqual({ current: 3, limit: 10 });
    expect(stats.cpu).toEqual({
      usageUsec: 4072061,
      userUsec: 2056340,
      systemUsec: 2015721,
      nrPeriods: 0,
      nrThrottled: 0,
      throttledUsec: 0,
    });
    expect(stats.io).toEqual({
      usage: [{ major: 254, minor: 0, rbytes: 6553600, wbytes: 20971520, rios: 100, wios: 20 }],
    });
    expect(stats.memoryEvents).toEqual({ low: 0, high: 0, max: 0, oom: 0, oomKill: 0 });
    const memStat = new Map(
      fixture('v2-memory.stat')
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );
    expect(stats.memory?.anon).toBe(Number(memStat.get('anon')));
    expect(stats.memory?.file).toBe(Number(memStat.get('file')));
    expect(stats.memory?.pgfault).toBe(Number(memStat.get('pgfault')));
    expect(stats.memory?.usage).toBe(35454976);
    expect(stats.memory?.usageLimit).toBe(104857600);
    expect(stats.memory?.swapLimit).toBe(MAX_UINT64);
    expect(stats.hugetlb).toEqual([{ pagesize: '2MB', current: 0, max: MAX_UINT64 }]);
  });
});
