// runc's `events --stats` document as containerd's io.containerd.cgroups.v1.Metrics, the
// shape upstream's shim returns on a cgroup v1 (or hybrid) host.
import type { MemoryEntry, RuntimeStats } from './runtime';

const entry = (e: MemoryEntry | undefined) => ({
  limit: e?.limit ?? 0,
  usage: e?.usage ?? 0,
  max: e?.max ?? 0,
  failcnt: e?.failcnt ?? 0,
});

export function metricsFromStats(stats: RuntimeStats): object {
  const raw = stats.memory?.raw ?? {};
  return {
    pids: { current: stats.pids?.current ?? 0, limit: stats.pids?.limit ?? 0 },
    cpu: {
      usage: {
        total: stats.cpu?.usage?.total ?? 0,
        kernel: stats.cpu?.usage?.kernel ?? 0,
        user: stats.cpu?.usage?.user ?? 0,
        per_cpu: stats.cpu?.usage?.percpu ?? [],
      },
      throttling: {
        periods: stats.cpu?.throttling?.periods ?? 0,
        throttled_periods: stats.cpu?.throttling?.throttledPeriods ?? 0,
        throttled_time: stats.cpu?.throttling?.throttledTime ?? 0,
      },
    },
    memory: {
      cache: stats.memory?.cache ?? 0,
      rss: raw.rss ?? 0,
      rss_huge: raw.rss_huge ?? 0,
      mapped_file: raw.mapped_file ?? 0,
      dirty: raw.dirty ?? 0,
      writeback: raw.writeback ?? 0,
      pg_fault: raw.pgfault ?? 0,
      pg_maj_fault: raw.pgmajfault ?? 0,
      inactive_anon: raw.inactive_anon ?? 0,
      active_anon: raw.active_anon ?? 0,
      inactive_file: raw.inactive_file ?? 0,
      active_file: raw.active_file ?? 0,
      usage: entry(stats.memory?.usage),
      swap: entry(stats.memory?.swap),
      kernel: entry(stats.memory?.kernel),
      kernel_tcp: entry(stats.memory?.kernelTCP),
    },
  };
}
