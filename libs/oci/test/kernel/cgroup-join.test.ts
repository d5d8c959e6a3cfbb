// The launcher joins the container's cgroup itself, in every hierarchy, before it clones.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhaseStamp } from '../../src/index';
import { makeBundle, type TestBundle } from '../helpers/bundle';

/** The paths of a process's cgroups that the runtime manages: the v1 controller hierarchies
 * on a legacy or hybrid host (not named ones, not the tracking-only cgroup2), else cgroup2. */
function managedCgroups(pid: number): string[] {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const entries = lines.map((l) => /^\d+:([^:]*):(.*)$/.exec(l)!.slice(1) as [string, string]);
  const v1 = entries.filter(([controllers]) => controllers && !controllers.startsWith('name='));
  return (v1.length ? v1 : entries.filter(([c]) => c === '')).map(([, path]) => path);
}

const phaseNames = (times: PhaseStamp[]) => times.map((t) => t.phase);

describe('cgroup join by the launcher', { tags: ['kernel'] }, () => {
  let b: TestBundle;
  beforeAll(async () => {
    b = await makeBundle();
  });
  afterAll(async () => {
    await b.cleanup();
  });

  it('puts the init and an exec process in the container cgroup of every hierarchy', async () => {
    await b.write((s) => (s.process!.args = ['sleep', '60']));
    const init = await b.runtime.create('cg', {
      bundle: b.dir,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const rec = await b.runtime.store.load('cg');
    const suffix = `/${rec.cgroupsPath}`;
    const initCgroups = managedCgroups(init.pid);
    expect(initCgroups.length).toBeGreaterThan(0);
    for (const path of initCgroups) expect(path.endsWith(suffix), path).toBe(true);
    // The join has its own phase, after the plan is read and before any namespace work.
    expect(phaseNames(init.times).slice(0, 5)).toEqual([
      'begin',
      'spawn',
      'plan',
      'cgroup',
      'namespaces.join',
    ]);

    await b.runtime.start('cg');
    const exec = await b.runtime.exec(
      'cg',
      { ...rec.spec.process!, args: ['sleep', '5'] },
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    expect(managedCgroups(exec.pid)).toEqual(initCgroups);
    expect(phaseNames(exec.times)).toContain('cgroup');
    process.kill(exec.pid, 'SIGKILL');
    await exec.exited;
    await b.runtime.delete('cg', true);
  });
});
