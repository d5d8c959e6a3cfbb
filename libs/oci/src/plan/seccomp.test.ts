import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Seccomp } from '../spec/types';
import { compileSeccomp, seccompFlags, seccompSource } from './seccomp';

const profile: Seccomp = {
  defaultAction: 'SCMP_ACT_ERRNO',
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
  flags: ['SECCOMP_FILTER_FLAG_LOG'],
  syscalls: [
    { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
    {
      names: ['personality'],
      action: 'SCMP_ACT_ALLOW',
      args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }],
    },
    { names: ['open'], action: 'SCMP_ACT_ERRNO' },
    { names: ['no_such_syscall'], action: 'SCMP_ACT_KILL_PROCESS' },
  ],
};

describe('seccomp', () => {
  it('writes the profile as berth-seccomp lines, dropping rules equal to the default', () => {
    expect(seccompSource(profile)).toBe(
      'default errno 1\narch x86_64\narch x86\nrule allow 1 read\nrule allow 1 write\nrule allow 1 personality 0 eq 8 0\nrule kill_process 1 no_such_syscall\n',
    );
    expect(seccompFlags(profile)).toBe(2);
    expect(() => seccompFlags({ ...profile, flags: ['BOGUS'] })).toThrow(/not supported/);
    expect(() => seccompSource({ defaultAction: 'SCMP_ACT_NOTIFY' })).toThrow(/NOTIFY/);
  });

  it('compiles with libseccomp and caches the program by digest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-seccomp-'));
    try {
      const bpf = await compileSeccomp(profile, dir);
      expect(bpf.length % 8).toBe(0);
      expect(bpf.length).toBeGreaterThan(8 * 8);
      const [file] = await readdir(dir);
      expect(file).toMatch(/^[0-9a-f]{64}\.bpf$/);
      expect(await compileSeccomp(profile, dir)).toEqual(bpf);
      await expect(
        compileSeccomp({ ...profile, architectures: ['SCMP_ARCH_BOGUS'] }, dir),
      ).rejects.toThrow(/unknown architecture/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
