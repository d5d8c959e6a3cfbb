import { describe, expect, it } from 'vitest';
import { defaultSpec } from '../spec/defaults';
import { buildExecPlan, buildInitPlan, type HostInfo } from './build';
import { MS } from './mount-options';
import { CLONE_FLAGS } from './namespaces';

const hybrid: HostInfo = {
  cgroups: {
    unified: false,
    v1: [
      { name: 'cpu', options: 'cpu' },
      { name: 'systemd', options: 'name=systemd' },
    ],
  },
  hasKcore: false,
};
const opts = { bundle: '/b', host: hybrid, seccompCacheDir: '/nonexistent' };

describe('buildInitPlan', () => {
  it('turns the default spec into namespaces, mounts, devices and credentials', async () => {
    const plan = await buildInitPlan(defaultSpec(), { ...opts, execFifo: '/run/x/exec.fifo' });
    expect(plan.cloneFlags).toBe(
      CLONE_FLAGS.pid |
        CLONE_FLAGS.network |
        CLONE_FLAGS.ipc |
        CLONE_FLAGS.uts |
        CLONE_FLAGS.mount |
        CLONE_FLAGS.cgroup,
    );
    expect(plan.rootfs).toEqual({
      path: '/b/rootfs',
      readonly: true,
      noPivot: false,
      propagation: 0,
    });
    const byDest = Object.fromEntries(plan.mounts.map((m) => [m.destination, m]));
    expect(byDest['/dev']).toMatchObject({
      type: 'tmpfs',
      flags: MS.NOSUID | MS.STRICTATIME,
      data: 'mode=755,size=65536k',
    });
    expect(byDest['/sys']!.flags).toBe(MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RDONLY);
    // A hybrid host gets runc's v1 layout: a tmpfs with one cgroup mount per hierarchy.
    expect(byDest['/sys/fs/cgroup']).toMatchObject({ type: 'tmpfs', data: 'mode=755' });
    expect(byDest['/sys/fs/cgroup/systemd']).toMatchObject({
      type: 'cgroup',
      data: 'name=systemd',
    });
    expect(plan.devices.map((d) => d.path)).toContain('/dev/urandom');
    expect(plan.symlinks).not.toContainEqual({ target: '/proc/kcore', path: '/dev/core' });
    expect(plan.capabilities).toEqual({
      bounding: 0x20000420n,
      effective: 0x20000420n,
      permitted: 0x20000420n,
      inheritable: 0n,
      ambient: 0x20000420n,
    });
    expect(plan.rlimits).toEqual([{ resource: 7, soft: 1024n, hard: 1024n }]);
    expect(plan.execFifo).toEqual({ path: '/run/x/exec.fifo', uid: 0 });
    expect(plan.runtimeHooks).toBe(false);
  });

  it('resolves bind sources against the bundle and keeps propagation apart', async () => {
    const spec = defaultSpec();
    spec.mounts = [{ destination: '/data', source: 'data', options: ['rbind', 'ro', 'rslave'] }];
    spec.linux!.rootfsPropagation = 'shared';
    const plan = await buildInitPlan(spec, {
      ...opts,
      host: { ...hybrid, cgroups: { unified: true, v1: [] } },
    });
    expect(plan.mounts).toEqual([
      {
        source: '/b/data',
        destination: '/data',
        type: 'none',
        flags: MS.BIND | MS.REC | MS.RDONLY,
        propagation: MS.SLAVE | MS.REC,
        data: '',
      },
    ]);
    expect(plan.rootfs!.propagation).toBe(MS.SHARED);
  });

  it('maps the device owner and fifo owner to the host uid of container root', async () => {
    const spec = defaultSpec();
    spec.linux!.namespaces!.push({ type: 'user' });
    spec.linux!.uidMappings = [{ containerID: 0, hostID: 5000, size: 10 }];
    spec.linux!.gidMappings = [{ containerID: 0, hostID: 6000, size: 10 }];
    const plan = await buildInitPlan(spec, { ...opts, execFifo: '/f' });
    expect(plan.uidMap).toBe('0 5000 10\n');
    expect(plan.devices[0]).toMatchObject({ uid: 5000, gid: 6000 });
    expect(plan.execFifo!.uid).toBe(5000);
  });

  it('joins namespaces given by path and sets the rootfs up in a new or joined mount namespace', async () => {
    const spec = defaultSpec();
    spec.linux!.namespaces = [
      { type: 'network', path: '/var/run/netns/x' },
      { type: 'mount' },
      { type: 'uts' },
    ];
    const plan = await buildInitPlan(spec, opts);
    expect(plan.join).toEqual([{ flag: CLONE_FLAGS.network, path: '/var/run/netns/x' }]);
    // A joined mount namespace still gets the rootfs set up in it, as runc does.
    spec.linux!.namespaces = [{ type: 'mount', path: '/proc/1/ns/mnt' }];
    expect((await buildInitPlan(spec, opts)).rootfs?.path).toBe('/b/rootfs');
  });

  it('only chroots a container without a mount namespace, and says what it skips', async () => {
    const spec = defaultSpec();
    spec.linux!.namespaces = [{ type: 'uts' }];
    const warnings: string[] = [];
    const plan = await buildInitPlan(spec, { ...opts, warn: (m) => warnings.push(m) });
    expect(plan.rootfs).toBeUndefined();
    expect(plan.chroot).toBe('/b/rootfs');
    expect([plan.mounts, plan.devices, plan.maskedPaths, plan.readonlyPaths]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    expect(warnings).toEqual([
      'no mount namespace: mounts, maskedPaths, readonlyPaths, root.readonly not applied, the root is entered with chroot',
    ]);
  });

  it('ignores unknown capabilities with a warning, as runc 1.1 does', async () => {
    const spec = defaultSpec();
    spec.process!.capabilities = {
      bounding: ['CAP_TELEPORT', 'CAP_KILL'],
      ambient: ['CAP_TELEPORT'],
    };
    const warnings: string[] = [];
    const plan = await buildInitPlan(spec, { ...opts, warn: (m) => warnings.push(m) });
    expect(plan.capabilities?.bounding).toBe(1n << 5n);
    expect(plan.capabilities?.ambient).toBe(0n);
    expect(warnings).toEqual(['ignoring unknown or unavailable capabilities: [CAP_TELEPORT]']);
  });

  it('rejects unknown rlimits and empty args', async () => {
    const spec = defaultSpec();
    spec.process!.rlimits = [{ type: 'RLIMIT_BOGUS', soft: 1, hard: 1 }];
    await expect(buildInitPlan(spec, opts)).rejects.toThrow(/wrong rlimit value: RLIMIT_BOGUS/);
    spec.process!.rlimits = [];
    spec.process!.args = [];
    await expect(buildInitPlan(spec, opts)).rejects.toThrow(/args must not be empty/);
  });

  it('refuses AppArmor and SELinux labels it cannot apply', async () => {
    const spec = defaultSpec();
    spec.process!.apparmorProfile = 'docker-default';
    await expect(buildInitPlan(spec, opts)).rejects.toThrow(/AppArmor/);
    delete spec.process!.apparmorProfile;
    spec.linux!.mountLabel = 'system_u:object_r:container_file_t:s0';
    await expect(buildInitPlan(spec, opts)).rejects.toThrow(/SELinux/);
  });

  it('plans runtime hooks and in-container hooks separately', async () => {
    const spec = defaultSpec();
    spec.hooks = {
      createRuntime: [{ path: '/h' }],
      startContainer: [{ path: '/s', args: ['s', '1'], timeout: 3 }],
    };
    const plan = await buildInitPlan(spec, opts);
    expect(plan.runtimeHooks).toBe(true);
    expect(plan.hooks).toEqual([
      { phase: 'startContainer', path: '/s', args: ['s', '1'], env: [], timeout: 3 },
    ]);
  });
});

describe('buildExecPlan', () => {
  it('joins the given namespaces of the init pid and runs the process', async () => {
    const spec = defaultSpec();
    const plan = await buildExecPlan(
      spec,
      { ...spec.process!, args: ['ls'] },
      { pid: 42, namespaces: ['mount', 'pid'], seccompCacheDir: '/x' },
    );
    expect(plan.join).toEqual([
      { flag: CLONE_FLAGS.mount, path: '/proc/42/ns/mnt' },
      { flag: CLONE_FLAGS.pid, path: '/proc/42/ns/pid' },
    ]);
    expect(plan.mode).toBe('exec');
    expect(plan.rootfs).toBeUndefined();
    expect(plan.args).toEqual(['ls']);
  });
});
