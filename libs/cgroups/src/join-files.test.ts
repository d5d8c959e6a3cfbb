// joinFiles(): where a launcher writes 0 to move itself into the container's cgroup.
import { describe, expect, it } from 'vitest';
import { fakeHybrid, fakeV2, OWN_MEMORY, V2_HOST } from '../test/fake-kernel';
import { createManager, managerFor } from './factory';
import { FakeManager } from './fake-manager';

describe('joinFiles', () => {
  it('on v1 names the tasks file of each hierarchy addProcess writes, named ones left out', async () => {
    const fs = fakeHybrid();
    const manager = await createManager('c1', { fs });
    await manager.create();
    await manager.addProcess(77);
    const procs = fs.writes.filter((w) => w.path.endsWith('/cgroup.procs')).map((w) => w.path);
    const tasks = procs.map((p) => p.replace(/cgroup\.procs$/, 'tasks'));
    expect(manager.joinFiles().sort()).toEqual(tasks.sort());
    expect(manager.joinFiles()).toContain(`/sys/fs/cgroup/memory${OWN_MEMORY}/c1/tasks`);
    expect(manager.joinFiles().filter((f) => f.includes('systemd'))).toEqual([]);
  });

  it('on v2 names the one cgroup.procs file', () => {
    const manager = managerFor(V2_HOST, '/berth/c1', { fs: fakeV2() });
    expect(manager.joinFiles()).toEqual(['/sys/fs/cgroup/berth/c1/cgroup.procs']);
  });

  it('in memory names none', () => {
    expect(new FakeManager('/c1').joinFiles()).toEqual([]);
  });
});
