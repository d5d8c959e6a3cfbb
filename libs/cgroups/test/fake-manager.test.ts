import { describe, expect, it } from 'vitest';
import { CgroupError, FakeManager } from '../src/index';

describe('FakeManager', () => {
  it('follows the lifecycle rules of a real cgroup', async () => {
    const m = new FakeManager('/berth/c1');
    await expect(m.addProcess(5)).rejects.toBeInstanceOf(CgroupError);
    await m.create();
    await m.apply({ pids: { limit: 10 } });
    await m.addProcess(5);
    expect(await m.stats()).toEqual({ version: 2, pids: { current: 1, limit: 10 }, hugetlb: [] });
    await expect(m.delete()).rejects.toThrow('EBUSY');
    await m.freeze();
    expect(await m.state()).toBe('frozen');
    await m.thaw();
    await m.killAll('SIGTERM');
    expect(await m.pids()).toEqual([5]);
    await m.killAll();
    expect(m.signals).toEqual([
      { pid: 5, signal: 'SIGTERM' },
      { pid: 5, signal: 'SIGKILL' },
    ]);
    await m.delete();
    expect(await m.exists()).toBe(false);
    expect(m.applied).toEqual([{ pids: { limit: 10 } }]);
  });
});
