// Fake cgroupfs trees that behave like the kernel in the ways the managers rely on: new
// directories get their interface files, subtree_control gates child controllers, freezing
// updates cgroup.events, cgroup.kill empties the cgroup.
import { posix } from 'node:path';
import { FakeCgroupFs, type CgroupHost } from '../src/index';

const V2_FILES: Record<string, Record<string, string>> = {
  '': {
    'cgroup.procs': '',
    'cgroup.subtree_control': '',
    'cgroup.events': 'populated 0\nfrozen 0\n',
    'cgroup.freeze': '0',
    'cgroup.kill': '',
    'cpu.stat': 'usage_usec 0\nuser_usec 0\nsystem_usec 0\n',
  },
  memory: {
    'memory.max': 'max',
    'memory.low': '0',
    'memory.high': 'max',
    'memory.swap.max': 'max',
    'memory.current': '0',
  },
  cpu: { 'cpu.max': 'max 100000', 'cpu.weight': '100', 'cpu.max.burst': '0', 'cpu.idle': '0' },
  cpuset: { 'cpuset.cpus': '', 'cpuset.mems': '' },
  pids: { 'pids.max': 'max', 'pids.current': '0' },
  io: { 'io.max': '', 'io.weight': 'default 100', 'io.stat': '' },
  hugetlb: { 'hugetlb.2MB.max': 'max', 'hugetlb.2MB.current': '0', 'hugetlb.2MB.rsvd.max': 'max' },
};

export const V2_CONTROLLERS = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids'];

const words = (s: string | undefined) => (s ?? '').split(/\s+/).filter(Boolean);

export interface FakeV2Behaviour {
  /** false: cgroup.freeze is accepted but the tasks never report frozen. */
  freezeCompletes?: boolean;
  /** false: a kernel before 5.14, without cgroup.kill. */
  hasKill?: boolean;
}

/** A cgroup2 tree mounted at /sys/fs/cgroup with `controllers` at its root. */
export function fakeV2(
  controllers = V2_CONTROLLERS,
  { freezeCompletes = true, hasKill = true }: FakeV2Behaviour = {},
): FakeCgroupFs {
  const fs: FakeCgroupFs = new FakeCgroupFs({
    writeOnly: /\/cgroup\.kill$/,
    onMkdir(dir, f) {
      const offered = words(f.content(posix.join(posix.dirname(dir), 'cgroup.subtree_control')));
      f.setFile(posix.join(dir, 'cgroup.controllers'), offered.join(' '));
      for (const c of ['', ...offered]) {
        for (const [name, value] of Object.entries(V2_FILES[c] ?? {})) {
          if (name !== 'cgroup.kill' || hasKill) f.setFile(posix.join(dir, name), value);
        }
      }
    },
    onWrite(path, value, f) {
      const dir = posix.dirname(path);
      switch (posix.basename(path)) {
        case 'cgroup.subtree_control': {
          const available = words(f.content(posix.join(dir, 'cgroup.controllers')));
          const enabled = new Set(words(f.content(path)));
          for (const token of words(value)) {
            const name = token.slice(1);
            if (!available.includes(name)) throw Object.assign(new Error(), { code: 'EINVAL' });
            if (token.startsWith('+')) enabled.add(name);
            else enabled.delete(name);
          }
          return [...enabled].join(' ');
        }
        case 'cgroup.freeze':
          if (freezeCompletes) {
            f.setFile(posix.join(dir, 'cgroup.events'), `populated 0\nfrozen ${value.trim()}\n`);
          }
          return value;
        case 'cgroup.kill':
          f.setFile(posix.join(dir, 'cgroup.procs'), '');
          return value;
        case 'cgroup.procs':
          return `${f.content(path) ?? ''}${value}\n`;
        default:
          return value;
      }
    },
  });
  fs.setFile('/sys/fs/cgroup/cgroup.controllers', controllers.join(' '));
  for (const [name, value] of Object.entries(V2_FILES[''] ?? {})) {
    fs.setFile(`/sys/fs/cgroup/${name}`, value);
  }
  return fs;
}

export const V2_HOST: CgroupHost = {
  mode: 'unified',
  unified: { mountpoint: '/sys/fs/cgroup', root: '/', ownPath: '/', controllers: V2_CONTROLLERS },
  v1: {},
};

/** This machine's hybrid layout: memory in /process_api/<id>, every other controller at /. */
export const OWN_MEMORY = '/process_api/1b6e602b86f10feb37744fa8977cac17';

export const HYBRID_MOUNTINFO = `\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

export const HYBRID_PROC_CGROUP = `\
9:name=systemd:/
8:pids:/
7:blkio:/
6:freezer:/
5:devices:/
4:memory:${OWN_MEMORY}
3:cpuset:/
2:cpuacct:/
1:cpu:/
0::/
`;

const V1_FILES: Record<string, Record<string, string>> = {
  cpu: {
    'cpu.shares': '1024',
    'cpu.cfs_period_us': '100000',
    'cpu.cfs_quota_us': '-1',
    'cpu.stat': 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\n',
  },
  cpuacct: {
    'cpuacct.usage': '0',
    'cpuacct.usage_percpu': '0 0 ',
    'cpuacct.stat': 'user 0\nsystem 0\n',
  },
  cpuset: { 'cpuset.cpus': '', 'cpuset.mems': '' },
  memory: {
    'memory.limit_in_bytes': '9223372036854771712',
    'memory.memsw.limit_in_bytes': '9223372036854771712',
    'memory.soft_limit_in_bytes': '9223372036854771712',
    'memory.swappiness': '60',
    'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n',
    'memory.usage_in_bytes': '0',
  },
  freezer: { 'freezer.state': 'THAWED' },
  blkio: {
    'blkio.weight': '500',
    'blkio.weight_device': '',
    'blkio.throttle.read_bps_device': '',
    'blkio.throttle.write_bps_device': '',
  },
  pids: { 'pids.max': 'max', 'pids.current': '0' },
  devices: {},
};

/** The hybrid host above as a fake filesystem, with the kernel's v1 behaviours the managers use. */
export function fakeHybrid(): FakeCgroupFs {
  const controllerOf = (path: string) => path.split('/')[4] ?? '';
  const fs = new FakeCgroupFs({
    onMkdir(dir, f) {
      f.setFile(posix.join(dir, 'cgroup.procs'), '');
      for (const [name, value] of Object.entries(V1_FILES[controllerOf(dir)] ?? {})) {
        f.setFile(posix.join(dir, name), value);
      }
    },
    onWrite(path, value, f) {
      switch (posix.basename(path)) {
        case 'cgroup.procs':
          if (
            controllerOf(path) === 'cpuset' &&
            f.content(posix.join(posix.dirname(path), 'cpuset.cpus')) === ''
          ) {
            throw Object.assign(new Error(), { code: 'ENOSPC' });
          }
          return `${f.content(path) ?? ''}${value}\n`;
        case 'cpu.shares':
          return String(Math.min(Math.max(Number(value), 2), 262144));
        default:
          return value;
      }
    },
  });
  fs.setFile('/proc/self/mountinfo', HYBRID_MOUNTINFO);
  fs.setFile('/proc/self/cgroup', HYBRID_PROC_CGROUP);
  fs.setFile('/sys/fs/cgroup/unified/cgroup.controllers', 'hugetlb');
  for (const c of Object.keys(V1_FILES)) fs.setFile(`/sys/fs/cgroup/${c}/cgroup.procs`, '1\n');
  fs.setFile('/sys/fs/cgroup/cpuset/cpuset.cpus', '0-1');
  fs.setFile('/sys/fs/cgroup/cpuset/cpuset.mems', '0');
  fs.setFile(`/sys/fs/cgroup/memory${OWN_MEMORY}/cgroup.procs`, '1\n');
  return fs;
}
