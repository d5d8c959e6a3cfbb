// State.OOMKilled comes from the task's cgroup metrics: v2 memory.events or v1 memory.oom_control.
import { packAny } from '@berth/proto';
import { describe, expect, it } from 'vitest';
import type { ContainerdConnection } from '../src/containerd/connection';
import { oomKillCount, taskWasOomKilled } from '../src/containers/oom';

const v2 = (oomKill: number) =>
  packAny('io.containerd.cgroups.v2.Metrics', {
    memory_events: { oom: oomKill, oom_kill: oomKill },
  });
const v1 = (oomKill: number) =>
  packAny('io.containerd.cgroups.v1.Metrics', { memory_oom_control: { oom_kill: oomKill } });

function connectionAnswering(answer: () => unknown): {
  connection: ContainerdConnection;
  requests: object[];
} {
  const requests: object[] = [];
  const connection = {
    call: async (service: string, method: string, request: object) => {
      requests.push({ service, method, request });
      return answer();
    },
  } as unknown as ContainerdConnection;
  return { connection, requests };
}

describe('OOM kills from task metrics', () => {
  it('reads the count from v2 and v1 metrics', () => {
    expect(oomKillCount(v2(2))).toBe(2);
    expect(oomKillCount(v2(0))).toBe(0);
    expect(oomKillCount(v1(1))).toBe(1);
    expect(oomKillCount(packAny('io.containerd.cgroups.v2.Metrics', {}))).toBe(0);
  });

  it("asks containerd for the task's metrics and finds a kill", async () => {
    const { connection, requests } = connectionAnswering(() => ({
      metrics: [
        { id: 'other', data: v2(0) },
        { id: 'c1', data: v2(1) },
      ],
    }));
    await expect(taskWasOomKilled(connection, 'c1')).resolves.toBe(true);
    expect(requests).toEqual([
      { service: 'tasks', method: 'Metrics', request: { filters: ['id==c1'] } },
    ]);
  });

  it('is false without a kill, without metrics, or when containerd fails', async () => {
    const none = connectionAnswering(() => ({ metrics: [{ id: 'c1', data: v1(0) }] }));
    await expect(taskWasOomKilled(none.connection, 'c1')).resolves.toBe(false);
    const empty = connectionAnswering(() => ({ metrics: [] }));
    await expect(taskWasOomKilled(empty.connection, 'c1')).resolves.toBe(false);
    const failing = connectionAnswering(() => {
      throw new Error('not found');
    });
    await expect(taskWasOomKilled(failing.connection, 'c1')).resolves.toBe(false);
  });
});
