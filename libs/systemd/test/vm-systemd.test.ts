// Runs two scripts under systemd as PID 1 on a pure cgroup v2 hierarchy (the shared vmtest
// runner), since this host has neither, in one boot:
// - test/vm/lib-under-systemd.sh: this lib in a fixture daemon (notify, activation, journal,
//   cgroup leaf), independent of the services;
// - tools/systemd/test/vm-systemd.sh: `berth install`, the stack through systemctl and the
//   docker CLI, `berth uninstall`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFixture, WORKSPACE_NODE_MODULES } from './bundle';

const CHECKOUT = resolve(import.meta.dirname, '../../..');
const RUNNER = process.env.VMTEST_RUNNER ?? resolve(CHECKOUT, '../shared/vmtest/run-in-vm.sh');
const STACK_SCRIPT = resolve(CHECKOUT, 'tools/systemd/test/vm-systemd.sh');
const LIB_SCRIPT = resolve(import.meta.dirname, 'vm/lib-under-systemd.sh');
// UML boots fastest but dies at once on some CPUs (large xsave state); qemu then still works.
const BACKENDS = [process.env.VMTEST_BACKEND ?? 'auto', 'qemu'];
// systemd mode gives the guest a fresh /tmp: a checkout under /tmp must be shared explicitly.
const SHARE_CHECKOUT = CHECKOUT.startsWith('/tmp/') ? ['--rw', CHECKOUT] : [];

function runVm(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(RUNNER, [...SHARE_CHECKOUT, ...args], {
      cwd: CHECKOUT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.stderr.on('data', (d: Buffer) => (out += String(d)));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

/** The first backend that boots systemd here, or why none can. */
async function bootableBackend(): Promise<{ backend?: string; reason?: string }> {
  if (!existsSync(RUNNER)) return { reason: `no vmtest runner at ${RUNNER}` };
  let last = '';
  for (const backend of BACKENDS) {
    const { code, out } = await runVm([
      '--backend',
      backend,
      '--systemd',
      '--timeout',
      '180',
      'true',
    ]);
    if (code === 0) return { backend };
    if (/--install/.test(out)) return { reason: `vmtest is not installed: ${out.trim()}` };
    last = out.trim().split('\n').slice(0, 3).join(' | ');
  }
  throw new Error(`no vmtest backend boots systemd: ${last}`);
}

describe('systemd as PID 1', { tags: ['kernel'] }, () => {
  // Not under /tmp: systemd mode gives the guest a fresh /tmp.
  const dir = mkdtempSync('/var/tmp/berth-systemd-vm-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the lib in a fixture daemon, then the berth units from install to uninstall', async (ctx) => {
    const { backend, reason } = await bootableBackend();
    if (!backend) return ctx.skip(reason);
    const daemon = await bundleFixture('vm-daemon', dir);
    const { code, out } = await runVm([
      '--backend',
      backend,
      '--systemd',
      '--timeout',
      '1500',
      `bash ${LIB_SCRIPT} ${daemon} ${WORKSPACE_NODE_MODULES}; lib=$?; bash ${STACK_SCRIPT}; exit $((lib | $?))`,
    ]);
    console.log(out);
    const summaries = [...out.matchAll(/^(\d+) passed, (\d+) failed, (\d+) skipped$/gm)];
    expect(summaries, 'a script did not finish').toHaveLength(2);
    expect(out.split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(Number(summaries[0]![1])).toBe(8); // every check of the lib ran
    // Every check of the stack ran, containers included (restarts, limits, OOM): none skipped.
    expect(Number(summaries[1]![1])).toBeGreaterThanOrEqual(50);
    expect(summaries[1]![3]).toBe('0');
    expect(code).toBe(0);
  }, 1_800_000);
});
