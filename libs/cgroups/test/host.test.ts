import { describe, expect, it } from 'vitest';
import {
  detectHost,
  FakeCgroupFs,
  hierarchyDir,
  parseMountInfo,
  parseProcCgroup,
  resolveCgroupPath,
} from '../src/index';
import { fakeHybrid, HYBRID_MOUNTINFO, OWN_MEMORY } from './fake-kernel';

function fakeProc(mountinfo: string, cgroup: string, files: Record<string, string> = {}) {
  const fs = new FakeCgroupFs();
  fs.setFile('/proc/self/mountinfo', mountinfo);
  fs.setFile('/proc/self/cgroup', cgroup);
  for (const [path, content] of Object.entries(files)) fs.setFile(path, content);
  return fs;
}

describe('host detection', () => {
  it('sees this machine as hybrid: v1 controllers, memory below /process_api', async () => {
    const host = await detectHost(fakeHybrid());
    expect(host.mode).toBe('hybrid');
    expect(host.unified?.controllers).toEqual(['hugetlb']);
    expect(host.v1.memory).toEqual({
      mountpoint: '/sys/fs/cgroup/memory',
      root: '/',
      ownPath: OWN_MEMORY,
    });
    expect(host.v1.cpu?.mountpoint).toBe('/sys/fs/cgroup/cpu');
    expect(host.v1.cpuacct?.mountpoint).toBe('/sys/fs/cgroup/cpuacct');
    expect(host.v1['name=systemd']?.ownPath).toBe('/');
    expect(Object.keys(host.v1).sort()).toEqual(
      [
        'blkio',
        'cpu',
        'cpuacct',
        'cpuset',
        'devices',
        'freezer',
        'memory',
        'name=systemd',
        'pids',
      ].sort(),
    );
  });

  it('detects a pure v2 host and its controllers', async () => {
    const fs = fakeProc(
      '30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n',
      '0::/user.slice/user-0.slice/session-1.scope\n',
      { '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n' },
    );
    const host = await detectHost(fs);
    expect(host.mode).toBe('unified');
    expect(host.unified).toEqual({
      mountpoint: '/sys/fs/cgroup',
      root: '/',
      ownPath: '/user.slice/user-0.slice/session-1.scope',
      controllers: ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'],
    });
  });

  it('detects legacy v1 with co-mounted controllers', async () => {
    const fs = fakeProc(
      '25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n' +
        '26 24 0:23 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,clone_children,memory\n',
      '3:cpu,cpuacct:/a\n2:memory:/b\n',
    );
    const host = await detectHost(fs);
    expect(host.mode).toBe('legacy');
    expect(host.v1.cpu).toEqual({
      mountpoint: '/sys/fs/cgroup/cpu,cpuacct',
      root: '/',
      ownPath: '/a',
    });
    expect(host.v1.cpuacct?.mountpoint).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(host.v1.memory?.ownPath).toBe('/b');
    expect(host.v1.clone_children).toBeUndefined();
  });

  it('fails clearly without any cgroup mount', async () => {
    const fs = fakeProc('22 1 0:5 / /proc rw - proc proc rw\n', '0::/\n');
    await expect(detectHost(fs)).rejects.toThrow('no cgroup hierarchy is mounted');
  });

  it('parses mountinfo escapes and optional fields', () => {
    const [entry] = parseMountInfo(
      '40 31 0:37 /sub\\040dir /mnt/my\\040cg rw,relatime shared:9 master:2 - cgroup cgroup rw,pids\n',
    );
    expect(entry).toEqual({
      root: '/sub dir',
      mountpoint: '/mnt/my cg',
      fstype: 'cgroup',
      superOptions: ['rw', 'pids'],
    });
    expect(parseMountInfo(HYBRID_MOUNTINFO)).toHaveLength(11);
    expect(() => parseMountInfo('garbage')).toThrow('parse mountinfo: malformed line');
    expect(parseProcCgroup('1:cpu,cpuacct:/x\n0::/y\n')).toEqual(
      new Map([
        ['cpu', '/x'],
        ['cpuacct', '/x'],
        ['', '/y'],
      ]),
    );
  });

  it('maps hierarchy paths onto a mount whose root is a sub-cgroup, and refuses others', () => {
    const mount = { mountpoint: '/sys/fs/cgroup/memory', root: '/docker/abc' };
    expect(hierarchyDir(mount, '/docker/abc/c1')).toBe('/sys/fs/cgroup/memory/c1');
    expect(() => hierarchyDir(mount, '/docker/other')).toThrow('outside the hierarchy');
  });
});

describe('cgroupsPath resolution', () => {
  it('takes absolute paths from the root and relative ones from the base', () => {
    expect(resolveCgroupPath('/berth/c1', OWN_MEMORY)).toBe('/berth/c1');
    expect(resolveCgroupPath('c1', OWN_MEMORY)).toBe(`${OWN_MEMORY}/c1`);
    expect(resolveCgroupPath('c1/', '/')).toBe('/c1');
  });

  it('cannot climb above the hierarchy root', () => {
    expect(resolveCgroupPath('/../../etc', '/')).toBe('/etc');
    expect(resolveCgroupPath('../../../x', '/a')).toBe('/x');
    expect(() => resolveCgroupPath('/a/..', '/')).toThrow('names the hierarchy root');
    expect(() => resolveCgroupPath('', '/')).toThrow('invalid cgroupsPath');
    expect(() => resolveCgroupPath('a\0b', '/')).toThrow('invalid cgroupsPath');
  });
});
