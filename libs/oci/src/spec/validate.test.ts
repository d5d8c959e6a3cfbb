import { describe, expect, it } from 'vitest';
import { defaultSpec } from './defaults';
import type { Spec } from './types';
import { SpecError, validateSpec } from './validate';

const edit = (f: (s: Spec & Record<string, unknown>) => void): unknown => {
  const s = defaultSpec() as Spec & Record<string, unknown>;
  f(s);
  return s;
};

describe('validateSpec', () => {
  it('accepts the default spec and a Docker-like one', () => {
    expect(validateSpec(defaultSpec()).ociVersion).toBe('1.2.0');
    const docker = edit((s) => {
      s.linux!.seccomp = {
        defaultAction: 'SCMP_ACT_ERRNO',
        defaultErrnoRet: 1,
        architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [
          {
            names: ['read'],
            action: 'SCMP_ACT_ALLOW',
            args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }],
          },
        ],
      };
      s.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
      s.linux!.resources = { memory: { limit: 1 << 20 } };
    });
    expect(() => validateSpec(docker)).not.toThrow();
  });

  it.each([
    [
      'no ociVersion',
      (s: Record<string, unknown>) => delete s.ociVersion,
      /must have required property 'ociVersion'/,
    ],
    ['a bad version', (s: Spec) => (s.ociVersion = 'one'), /ociVersion must match/],
    [
      'an unknown namespace',
      (s: Spec) => s.linux!.namespaces!.push({ type: 'bogus' as 'pid' }),
      /namespaces\/6\/type must be one of/,
    ],
    [
      'a duplicated namespace',
      (s: Spec) => s.linux!.namespaces!.push({ type: 'pid' }),
      /duplicated ns "pid"/,
    ],
    ['a negative uid', (s: Spec) => (s.process!.user.uid = -1), /uid must be >= 0/],
    [
      'a string uid',
      (s: Spec) => ((s.process!.user as unknown as Record<string, unknown>).uid = '0'),
      /uid must be integer/,
    ],
    [
      'maps without a user namespace',
      (s: Spec) => (s.linux!.uidMappings = [{ containerID: 0, hostID: 1, size: 1 }]),
      /user namespaces need to be enabled/,
    ],
    [
      'a user namespace without maps',
      (s: Spec) => s.linux!.namespaces!.push({ type: 'user' }),
      /no uid\/gid mappings/,
    ],
    [
      'a relative mount destination',
      (s: Spec) => s.mounts!.push({ destination: 'tmp', type: 'tmpfs' }),
      /must be absolute/,
    ],
    ['a relative cwd', (s: Spec) => (s.process!.cwd = 'tmp'), /not an absolute path/],
    [
      'a bad rlimit',
      (s: Spec) => s.process!.rlimits!.push({ type: 'NOFILE', soft: 1, hard: 1 }),
      /rlimits\/1\/type must match/,
    ],
    [
      'a bad seccomp action',
      (s: Spec) => (s.linux!.seccomp = { defaultAction: 'SCMP_ACT_MAYBE' }),
      /defaultAction must be one of/,
    ],
    [
      'a net sysctl without netns',
      (s: Spec) => {
        s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'network');
        s.linux!.sysctl = { 'net.core.somaxconn': '1' };
      },
      /without a network namespace/,
    ],
    [
      'a host-wide sysctl',
      (s: Spec) => (s.linux!.sysctl = { 'vm.swappiness': '1' }),
      /not allowed in the hosts namespace/,
    ],
    [
      'a hostname without uts',
      (s: Spec) => (s.linux!.namespaces = [{ type: 'mount' }]),
      /hostname without a new UTS/,
    ],
    [
      'timeOffsets without time ns',
      (s: Spec) => (s.linux!.timeOffsets = { monotonic: { secs: 1 } }),
      /time namespace is required/,
    ],
    [
      'a relative hook path',
      (s: Spec) => (s.hooks = { prestart: [{ path: 'hook' }] }),
      /prestart\/0\/path must match/,
    ],
    ['a non-object', () => undefined, /must be object/],
  ])('rejects %s', (_name, change, message) => {
    const spec = _name === 'a non-object' ? 'config' : edit(change as (s: Spec) => void);
    expect(() => validateSpec(spec)).toThrow(SpecError);
    expect(() => validateSpec(spec)).toThrow(message);
  });
});
