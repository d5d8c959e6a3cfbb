// A container's process as the spec describes it, checked from inside the container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, type TestBundle } from '../helpers/bundle';

describe('run: process and namespaces', { tags: ['kernel'] }, () => {
  let b: TestBundle;
  beforeAll(async () => {
    b = await makeBundle();
  });
  afterAll(async () => {
    await b.cleanup();
  });

  const sh = (script: string) => ['sh', '-c', script];

  it('runs as pid 1 with the hostname, env, cwd and exit status of the spec', async () => {
    const r = await b.run('basic', (s) => {
      s.process!.args = sh(
        'echo pid=$$ host=$(hostname) dom=$(cat /proc/sys/kernel/domainname) v=$V cwd=$(pwd); exit 7',
      );
      s.process!.env!.push('V=42');
      s.process!.cwd = '/tmp';
      s.domainname = 'example.test';
    });
    expect(r.output).toBe('pid=1 host=berth dom=example.test v=42 cwd=/tmp\n');
    expect(r.code).toBe(7);
  });

  it('applies user, groups, umask, capabilities, no_new_privs, rlimits and oom_score_adj', async () => {
    const r = await b.run('creds', (s) => {
      s.process!.user = { uid: 1000, gid: 1001, additionalGids: [5, 6], umask: 0o077 };
      s.process!.args = sh(
        'id; umask; grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs)" /proc/self/status; ulimit -n; cat /proc/self/oom_score_adj',
      );
      s.process!.capabilities = {
        bounding: ['CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_CHOWN'],
        effective: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
        permitted: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'],
        inheritable: ['CAP_NET_BIND_SERVICE'],
        ambient: ['CAP_NET_BIND_SERVICE'],
      };
      s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 321, hard: 654 }];
      s.process!.oomScoreAdj = 123;
    });
    expect(r.code).toBe(0);
    expect(r.output).toContain('uid=1000 gid=1001 groups=5,6');
    expect(r.output).toContain('0077');
    // After exec as non-root only ambient caps survive into permitted/effective.
    expect(r.output).toMatch(/CapInh:\s+0000000000000400/);
    expect(r.output).toMatch(/CapPrm:\s+0000000000000400/);
    expect(r.output).toMatch(/CapBnd:\s+0000000000000421/);
    expect(r.output).toMatch(/CapAmb:\s+0000000000000400/);
    expect(r.output).toMatch(/NoNewPrivs:\s+1/);
    expect(r.output).toContain('\n321\n123\n');
  });

  it('has only stdio open in the container process', async () => {
    const r = await b.run('fds', (s) => {
      s.process!.args = sh('ls /proc/1/fd; true');
    });
    expect(r.output.trim().split('\n')).toEqual(['0', '1', '2']);
  });

  it('masks and write-protects paths, and mounts a read-only root', async () => {
    const r = await b.run('paths', (s) => {
      s.root!.readonly = true;
      s.process!.args = sh(
        'wc -c </proc/keys; ls /sys/firmware | wc -l; echo 1 >/proc/sys/kernel/hostname || echo ro-sys; touch /x || echo ro-root; touch /tmp/y || echo ro-tmp',
      );
    });
    expect(r.output).toMatch(/^0\n0\n/);
    expect(r.output).toContain('ro-sys');
    expect(r.output).toContain('ro-root');
  });

  it('creates default devices, configured devices and /dev links; sets sysctls', async () => {
    const r = await b.run('devices', (s) => {
      s.linux!.devices = [
        { path: '/dev/mydev', type: 'c', major: 1, minor: 3, fileMode: 0o640, uid: 7, gid: 8 },
      ];
      s.linux!.sysctl = { 'kernel.shmmax': '12345', 'net.ipv4.ip_forward': '1' };
      s.process!.args = sh(
        'ls -ln /dev/null /dev/mydev | tr -s " " | cut -d" " -f1,3,4,5,6; readlink /dev/fd; readlink /dev/ptmx; echo x >/dev/null && echo null-ok; echo x >/dev/mydev || echo denied; cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward',
      );
    });
    expect(r.output).toContain('crw-rw-rw- 0 0 1, 3');
    expect(r.output).toContain('crw-r----- 7 8 1, 3');
    // 0640 and owned by 7:8: root without CAP_DAC_OVERRIDE may not write it.
    expect(r.output).toContain('/proc/self/fd\npts/ptmx\nnull-ok\n');
    expect(r.output).toContain('denied\n12345\n1\n');
  });

  it('runs in a user namespace with the mapped ids', async () => {
    const r = await b.run('userns', (s) => {
      s.linux!.namespaces!.push({ type: 'user' });
      s.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      s.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      s.mounts = s.mounts!.filter((m) => m.type !== 'sysfs' && m.type !== 'cgroup');
      s.linux!.maskedPaths = s.linux!.maskedPaths!.filter((p) => !p.startsWith('/sys'));
      s.process!.args = sh(
        'cat /proc/self/uid_map; id -u; ls -ln /dev/null | tr -s " " | cut -d" " -f3',
      );
      // In a user namespace the host's nodes are bind-mounted (mknod is refused): owner nobody.
    });
    expect(r.output.replace(/ +/g, ' ').trim()).toBe('0 100000 65536\n0\n65534');
    expect(r.code).toBe(0);
  });

  it('applies time namespace offsets', async () => {
    const r = await b.run('timens', (s) => {
      s.linux!.namespaces!.push({ type: 'time' });
      s.linux!.timeOffsets = { boottime: { secs: 86400 * 400 } };
      s.process!.args = sh('cut -d. -f1 /proc/uptime');
    });
    expect(Number(r.output)).toBeGreaterThan(86400 * 400);
  });

  it('fails with the launcher step when the executable is missing, leaving no state', async () => {
    // In Go's exec.LookPath words, as runc says it: Docker maps them to exit codes 127/126.
    await expect(b.run('missing', (s) => (s.process!.args = ['/nonexistent']))).rejects.toThrow(
      'exec: "/nonexistent": stat /nonexistent: no such file or directory',
    );
    await expect(b.run('unfound', (s) => (s.process!.args = ['nonexistent']))).rejects.toThrow(
      'exec: "nonexistent": executable file not found in $PATH',
    );
    await expect(b.run('notexec', (s) => (s.process!.args = ['/dev']))).rejects.toThrow(
      'exec: "/dev": is a directory',
    );
    expect(await b.runtime.store.list()).toEqual([]);
  });
});
