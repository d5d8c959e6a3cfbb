import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createManager, type ProcessControl } from '../src/index';
import type { V1Manager } from '../src/v1/manager';
import { parseBlkioEntries } from '../src/v1/stats';
import { fakeHybrid, OWN_MEMORY } from './fake-kernel';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const FAST = { pollMs: 1, timeoutMs: 200 };
const MEM = `/sys/fs/cgroup/memory${OWN_MEMORY}/c1`;

async function setup(processes?: ProcessControl) {
  const fs = fakeHybrid();
  const manager = (await createManager('c1', { fs, processes, timing: FAST })) as V1Manager;
  return { fs, manager };
}

const writesTo = (fs: ReturnType<typeof fakeHybrid>, dir: string) =>
  fs.writes
    .filter((w) => w.path.startsWith(`${dir}/`))
    .map((w) => [w.path.slice(dir.length + 1), w.value]);

describe('V1Manager on a fake hybrid host', () => {
  it('puts a relative cgroupsPath below this process cgroup in every controller', async () => {
    const { manager } = await setup();
    expect(manager.version).toBe(1);
    expect(manager.path).toBe(`${OWN_MEMORY}/c1`);
    expect(manager.dirOf('memory')).toBe(MEM);
    expect(manager.dirOf('cpu')).toBe('/sys/fs/cgroup/cpu/c1');
    expect(manager.dirOf('freezer')).toBe('/sys/fs/cgroup/freezer/c1');
    expect(manager.dirOf('name=systemd')).toBeUndefined();
  });

  it('creates a directory per hierarchy and fills a new cpuset from its parent', async () => {
    const { fs, manager } = await setup();
    await manager.create();
    for (const c of ['cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'blkio', 'pids']) {
      expect(fs.hasDir(`/sys/fs/cgroup/${c}/c1`)).toBe(true);
    }
    expect(fs.hasDir(MEM)).toBe(true);
    expect(fs.content('/sys/fs/cgroup/cpuset/c1/cpuset.cpus')).toBe('0-1');
    expect(fs.content('/sys/fs/cgroup/cpuset/c1/cpuset.mems')).toBe('0');
    await manager.addProcess(77);
    expect(fs.content('/sys/fs/cgroup/cpuset/c1/cgroup.procs')).toBe('77\n');
    expect(fs.content(`${MEM}/cgroup.procs`)).toBe('77\n');
    expect(await manager.pids()).toEqual([77]);
  });

  it('writes v1 values as runc does', async () => {
    const { fs, manager } = await setup();
    await manager.create();
    await manager.apply({
      pids: { limit: 0 },
      memory: {
        limit: 64 * 2 ** 20,
        swap: 128 * 2 ** 20,
        reservation: 32 * 2 ** 20,
        swappiness: 0,
      },
      cpu: { shares: 512, quota: 20000, period: 100000, cpus: '0' },
      blockIO: {
        weight: 300,
        weightDevice: [{ major: 8, minor: 0, weight: 200 }],
        throttleWriteBpsDevice: [{ major: 8, minor: 0, rate: 2097152 }],
      },
    });
    expect(writesTo(fs, '/sys/fs/cgroup/pids/c1')).toEqual([['pids.max', 'max']]);
    // Down from unlimited: memory first, so memory <= memsw holds after each write.
    expect(writesTo(fs, MEM)).toEqual([
      ['memory.limit_in_bytes', String(64 * 2 ** 20)],
      ['memory.memsw.limit_in_bytes', String(128 * 2 ** 20)],
      ['memory.soft_limit_in_bytes', String(32 * 2 ** 20)],
      ['memory.swappiness', '0'],
    ]);
    expect(writesTo(fs, '/sys/fs/cgroup/cpu/c1')).toEqual([
      ['cpu.shares', '512'],
      ['cpu.cfs_period_us', '100000'],
      ['cpu.cfs_quota_us', '20000'],
    ]);
    expect(writesTo(fs, '/sys/fs/cgroup/cpuset/c1').slice(-1)).toEqual([['cpuset.cpus', '0']]);
    expect(writesTo(fs, '/sys/fs/cgroup/blkio/c1')).toEqual([
      ['blkio.weight', '300'],
      ['blkio.weight_device', '8:0 200'],
      ['blkio.throttle.write_bps_device', '8:0 2097152'],
    ]);
  });

  it('raises memsw before memory, and lifts memsw with an unlimited memory', async () => {
    const { fs, manager } = await setup();
    await manager.create();
    fs.setFile(`${MEM}/memory.limit_in_bytes`, '1000000\n');
    await manager.apply({ memory: { limit: 3000000, swap: 4000000 } });
    await manager.apply({ memory: { limit: -1 } });
    expect(writesTo(fs, MEM)).toEqual([
      ['memory.memsw.limit_in_bytes', '4000000'],
      ['memory.limit_in_bytes', '3000000'],
      ['memory.memsw.limit_in_bytes', '-1'],
      ['memory.limit_in_bytes', '-1'],
    ]);
  });

  it('rejects what v1 cannot take, naming it', async () => {
    const { manager } = await setup();
    await manager.create();
    await expect(manager.apply({ cpu: { shares: 1_000_000 } })).rejects.toThrow(
      'the maximum allowed cpu-shares is 262144',
    );
    await expect(manager.apply({ memory: { swappiness: 101 } })).rejects.toThrow(
      'invalid value:101. valid memory swappiness range is 0-100',
    );
    await expect(
      manager.apply({ hugepageLimits: [{ pageSize: '2MB', limit: 1 }] }),
    ).rejects.toThrow('the hugetlb controller is not mounted on this host');
    await expect(manager.apply({ unified: { 'memory.high': '1' } })).rejects.toThrow(
      'unified resources can only be set on cgroup v2',
    );
  });

  it('freezes through freezer.state, and kills each pid while frozen', async () => {
    const sent: number[] = [];
    const { fs, manager } = await setup({
      kill(pid) {
        sent.push(pid);
        for (const dir of [MEM, '/sys/fs/cgroup/freezer/c1']) fs.setFile(`${dir}/cgroup.procs`, '');
      },
    });
    await manager.create();
    await manager.addProcess(31);
    await manager.freeze();
    expect(await manager.state()).toBe('frozen');
    await manager.thaw();
    expect(await manager.state()).toBe('thawed');
    await manager.killAll();
    expect(sent).toEqual([31]);
    const states = fs.writes.filter((w) => w.path === '/sys/fs/cgroup/freezer/c1/freezer.state');
    expect(states.map((w) => w.value)).toEqual(['FROZEN', 'THAWED', 'FROZEN', 'THAWED']);
  });

  it('deletes every hierarchy directory and reports it gone', async () => {
    const { fs, manager } = await setup();
    await manager.create();
    await manager.delete();
    expect(await manager.exists()).toBe(false);
    expect(fs.hasDir('/sys/fs/cgroup/cpu/c1')).toBe(false);
    expect(fs.hasDir(`/sys/fs/cgroup/memory${OWN_MEMORY}`)).toBe(true);
  });

  it('reads stats from this host v1 memory.stat and the kernel blkio format', async () => {
    const { fs, manager } = await setup();
    await manager.create();
    fs.setFile(`${MEM}/memory.stat`, fixture('v1-memory.stat'));
    fs.setFile(`${MEM}/memory.usage_in_bytes`, '34877440\n');
    fs.setFile(`${MEM}/memory.max_usage_in_bytes`, '40000000\n');
    fs.setFile(`${MEM}/memory.failcnt`, '0\n');
    fs.setFile(`${MEM}/memory.oom_control`, 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    fs.setFile('/sys/fs/cgroup/cpuacct/c1/cpuacct.usage', '238646911671\n');
    fs.setFile('/sys/fs/cgroup/cpuacct/c1/cpuacct.usage_percpu', '238646911671 289360952058 \n');
    fs.setFile('/sys/fs/cgroup/cpuacct/c1/cpuacct.stat', 'user 42097\nsystem 7710\n');
    fs.setFile(
      '/sys/fs/cgroup/cpu/c1/cpu.stat',
      'nr_periods 10\nnr_throttled 4\nthrottled_time 123\n',
    );
    fs.setFile('/sys/fs/cgroup/pids/c1/pids.current', '2\n');
    const stats = await manager.stats();
    if (stats.version !== 1) throw new Error('expected v1 stats');
    const stat = new Map(
      fixture('v1-memory.stat')
        .trim()
        .split('\n')
        .map((l) => l.split(' ') as [string, string]),
    );
    expect(stats.memory?.cache).toBe(Number(stat.get('cache')));
    expect(stats.memory?.rss).toBe(Number(stat.get('rss')));
    expect(stats.memory?.totalRss).toBe(Number(stat.get('total_rss')));
    expect(stats.memory?.pgPgIn).toBe(Number(stat.get('pgpgin')));
    expect(stats.memory?.hierarchicalMemoryLimit).toBe(
      Number(stat.get('hierarchical_memory_limit')),
    );
    expect(stats.memory?.usage).toEqual({
      usage: 34877440,
      limit: 9223372036854771712,
      max: 40000000,
      failcnt: 0,
    });
    expect(stats.memoryOomControl).toEqual({ oomKillDisable: 0, underOom: 0, oomKill: 2 });
    expect(stats.cpu).toEqual({
      usage: {
        total: 238646911671,
        user: 42097 * 1e7,
        kernel: 7710 * 1e7,
        perCpu: [238646911671, 289360952058],
      },
      throttling: { periods: 10, throttledPeriods: 4, throttledTime: 123 },
    });
    expect(stats.pids).toEqual({ current: 2, limit: 0 });
    expect(stats.hugetlb).toEqual([]);
  });

  it('parses blkio files with and without an operation column', () => {
    // The kernel's format (Documentation/admin-guide/cgroup-v1/blkio-controller.rst).
    const text =
      '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\nTotal 12288\n';
    expect(parseBlkioEntries(text, 'f')).toEqual([
      { op: 'Read', device: '', major: 8, minor: 0, value: 4096 },
      { op: 'Write', device: '', major: 8, minor: 0, value: 8192 },
      { op: 'Sync', device: '', major: 8, minor: 0, value: 0 },
      { op: 'Async', device: '', major: 8, minor: 0, value: 12288 },
      { op: 'Total', device: '', major: 8, minor: 0, value: 12288 },
    ]);
    expect(parseBlkioEntries('8:16 5000\n', 'f')).toEqual([
      { op: '', device: '', major: 8, minor: 16, value: 5000 },
    ]);
    expect(() => parseBlkioEntries('sda Read 1\n', 'blkio.x')).toThrow(
      'parse blkio.x: malformed line',
    );
  });
});
