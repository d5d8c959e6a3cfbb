// Whether the kernel OOM-killed inside a task's cgroup, for State.OOMKilled. Asked once the
// task has exited and before it is deleted (its cgroup, and so its counters, go with the
// delete): containerd's Tasks.Metrics carries the shim's cgroup stats, v1 or v2, from
// containerd-shim-runc-v2 and from berth's shim alike.
import { unpackAny } from '@berth/proto';
import type { ContainerdConnection } from '../containerd/connection';

interface MetricsResponse {
  metrics: { id: string; data: { type_url: string; value: Uint8Array } | null }[];
}

/** The OOM-kill count in a metrics message: v2 memory.events, or v1 memory.oom_control. */
export function oomKillCount(metrics: { type_url: string; value: Uint8Array }): number {
  const { typeName, value } = unpackAny(metrics);
  const counters =
    typeName === 'io.containerd.cgroups.v2.Metrics'
      ? value.memory_events
      : value.memory_oom_control;
  return Number((counters as { oom_kill?: string } | null)?.oom_kill ?? 0);
}

/** False when the task has no metrics (no cgroup, already deleted) or they cannot be read. */
export async function taskWasOomKilled(
  connection: ContainerdConnection,
  containerId: string,
): Promise<boolean> {
  try {
    const { metrics } = await connection.call<MetricsResponse>('tasks', 'Metrics', {
      filters: [`id==${containerId}`],
    });
    const data = metrics.find((m) => m.id === containerId)?.data;
    return data ? oomKillCount(data) > 0 : false;
  } catch {
    return false;
  }
}
