// Seccomp profile resolution, --security-opt parsing, devices and capabilities, without a
// daemon.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boundingSet, containerCapabilities } from '../src/containers/capabilities';
import { DEFAULT_RULES } from '../src/containers/seccomp-profile';
import {
  containerDevices,
  containerSeccomp,
  DEFAULT_PROFILE,
  parseSecurityOpts,
  resolveProfile,
  type LinuxSeccomp,
} from '../src/containers/security';

const AMD64 = { arch: 'amd64', kernel: '6.1.0-18-amd64' };
const DEFAULT_CAPS = containerCapabilities([], [], false);

/** The rules a resolved filter has for one syscall. */
const rulesFor = (filter: LinuxSeccomp, name: string) =>
  filter.syscalls.filter((s) => s.names.includes(name));

describe('default seccomp profile', () => {
  const filter = resolveProfile(DEFAULT_PROFILE, DEFAULT_CAPS, AMD64);

  it('refuses everything not listed with EPERM, for the native arch and its 32-bit forms', () => {
    expect(filter.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(filter.defaultErrnoRet).toBe(1);
    expect(filter.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(
      resolveProfile(DEFAULT_PROFILE, DEFAULT_CAPS, { arch: 'arm64', kernel: '6.1' }).architectures,
    ).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  });

  it('answers clone3 with ENOSYS and allows clone only without namespace flags', () => {
    expect(rulesFor(filter, 'clone3')).toEqual([
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
    ]);
    expect(rulesFor(filter, 'clone')).toEqual([
      {
        names: ['clone'],
        action: 'SCMP_ACT_ALLOW',
        args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
      },
    ]);
    for (const name of ['mount', 'unshare', 'setns', 'bpf', 'reboot', 'io_uring_setup'])
      expect(rulesFor(filter, name), name).toEqual([]);
    expect(rulesFor(filter, 'chroot')).toHaveLength(1); // CAP_SYS_CHROOT is a default
    expect(rulesFor(filter, 'arch_prctl')).toHaveLength(1);
    expect(rulesFor(filter, 'set_tls')).toEqual([]); // arm only
    expect(rulesFor(filter, 'socket')[0]?.args).toEqual([
      { index: 0, value: 40, op: 'SCMP_CMP_NE' },
    ]);
    expect(rulesFor(filter, 'personality')).toHaveLength(5);
  });

  it('opens the admin rules with CAP_SYS_ADMIN, dropping the clone restrictions', () => {
    const admin = resolveProfile(DEFAULT_PROFILE, [...DEFAULT_CAPS, 'CAP_SYS_ADMIN'], AMD64);
    expect(rulesFor(admin, 'mount')).toHaveLength(1);
    expect(rulesFor(admin, 'clone3')).toEqual([
      expect.objectContaining({ action: 'SCMP_ACT_ALLOW' }),
    ]);
    expect(rulesFor(admin, 'clone').every((r) => !r.args)).toBe(true);
    const noChroot = resolveProfile(DEFAULT_PROFILE, ['CAP_CHOWN'], AMD64);
    expect(rulesFor(noChroot, 'chroot')).toEqual([]);
  });

  it('keeps ptrace for kernels from 4.8 only', () => {
    expect(rulesFor(filter, 'ptrace')).toHaveLength(1);
    expect(
      rulesFor(
        resolveProfile(DEFAULT_PROFILE, DEFAULT_CAPS, { arch: 'amd64', kernel: '4.4.0' }),
        'ptrace',
      ),
    ).toEqual([]);
  });

  it('gives every rule a purpose and lists no syscall twice in the unconditional rules', () => {
    expect(DEFAULT_RULES.every((r) => r.purpose.length > 0)).toBe(true);
    const plain = DEFAULT_RULES.filter((r) => !r.args && !r.includes && !r.excludes).flatMap(
      (r) => r.names,
    );
    expect(new Set(plain).size).toBe(plain.length);
  });
});

describe('--security-opt', () => {
  it("reads seccomp, no-new-privileges and ignores apparmor and label, as moby's parser", () => {
    expect(parseSecurityOpts(['no-new-privileges'])).toEqual({
      noNewPrivileges: true,
      seccomp: '',
    });
    expect(parseSecurityOpts(['no-new-privileges=false']).noNewPrivileges).toBe(false);
    expect(parseSecurityOpts(['no-new-privileges:true']).noNewPrivileges).toBe(true);
    expect(parseSecurityOpts(['seccomp=unconfined', 'apparmor=x', 'label=disable']).seccomp).toBe(
      'unconfined',
    );
    expect(() => parseSecurityOpts(['bogus=1'])).toThrow('invalid --security-opt 2: "bogus=1"');
    expect(() => parseSecurityOpts(['bogus'])).toThrow('invalid --security-opt 1: "bogus"');
    expect(() => parseSecurityOpts(['no-new-privileges=maybe'])).toThrow(
      'invalid --security-opt 2',
    );
  });

  it('runs unconfined when asked or privileged, and resolves a profile the client sent', () => {
    const opts = (seccomp: string) => ({ noNewPrivileges: false, seccomp });
    expect(containerSeccomp({}, opts('unconfined'), DEFAULT_CAPS, AMD64)).toBeUndefined();
    expect(containerSeccomp({ Privileged: true }, opts(''), DEFAULT_CAPS, AMD64)).toBeUndefined();
    expect(containerSeccomp({}, opts('builtin'), DEFAULT_CAPS, AMD64)?.defaultErrnoRet).toBe(1);
    const custom = JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { name: 'mkdir', action: 'SCMP_ACT_ERRNO' },
        { names: ['mount'], action: 'SCMP_ACT_ERRNO', includes: { arches: ['arm64'] } },
      ],
    });
    expect(containerSeccomp({}, opts(custom), DEFAULT_CAPS, AMD64)).toEqual({
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }],
    });
    expect(() => containerSeccomp({}, opts('{nope'), DEFAULT_CAPS, AMD64)).toThrow(
      /Decoding seccomp profile failed/,
    );
    expect(() =>
      containerSeccomp(
        {},
        opts(
          '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"a","names":["b"],"action":"x"}]}',
        ),
        DEFAULT_CAPS,
        AMD64,
      ),
    ).toThrow(/use either 'name' or 'names'/);
  });
});

describe('devices and capabilities', () => {
  it('adds --device nodes with a cgroup rule each, and refuses what is not a device', () => {
    const { devices, rules } = containerDevices({
      Devices: [
        { PathOnHost: '/dev/null', PathInContainer: '/dev/mynull', CgroupPermissions: 'rw' },
      ],
    });
    expect(devices).toEqual([
      expect.objectContaining({ path: '/dev/mynull', type: 'c', major: 1, minor: 3 }),
    ]);
    expect(rules).toEqual([
      { allow: false, access: 'rwm' },
      { allow: true, type: 'c', major: 1, minor: 3, access: 'rw' },
    ]);
    expect(() => containerDevices({ Devices: [{ PathOnHost: '/dev/nope-berth' }] })).toThrow(
      'error gathering device information while adding custom device "/dev/nope-berth": no such file or directory',
    );
    expect(() => containerDevices({ Devices: [{ PathOnHost: '/etc/hostname' }] })).toThrow(
      /not a device node/,
    );
  });

  it('gives privileged containers the host devices and every device rule', () => {
    const { devices, rules } = containerDevices({ Privileged: true });
    expect(rules).toEqual([{ allow: true, access: 'rwm' }]);
    expect(devices.map((d) => d.path)).toContain('/dev/null');
    expect(devices.some((d) => d.path.startsWith('/dev/pts/'))).toBe(false);
  });

  it('grants privileged containers what our bounding set holds', () => {
    expect(boundingSet('CapBnd:\t0000000000000005\n')).toEqual([
      'CAP_CHOWN',
      'CAP_DAC_READ_SEARCH',
    ]);
    const own = boundingSet(readFileSync('/proc/self/status', 'utf8'));
    expect(containerCapabilities([], [], true)).toEqual(own);
    expect(containerCapabilities(['ALL'], ['CAP_CHOWN'], false).sort()).toEqual(
      own.filter((c) => c !== 'CAP_CHOWN').sort(),
    );
    expect(containerCapabilities([], ['ALL'], false)).toEqual([]);
  });
});
