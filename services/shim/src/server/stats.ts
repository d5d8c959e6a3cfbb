// A task's Stats as containerd-shim-runc-v2 answers them: io.containerd.cgroups.v2.Metrics read
// from the container's cgroup on a pure v2 host, otherwise the runtime's cgroup stats as
// io.containerd.cgroups.v1.Metrics (the v1 or hybrid host's shape).
import type { V2Metrics } from '@berth/cgroups';
import { packAny } from '../proto';
import type { Container } from './container';

export async function taskMetrics(
  container: Container,
): Promise<{ type_url: string; value: Uint8Array }> {
  if (container.cgroupV2) {
    return packAny(
      'io.containerd.cgroups.v2.Metrics',
      metricsV2(await container.cgroupV2.metrics()),
    );
  }
  return packAny(
    'io.containerd.cgroups.v1.Metrics',
    await container.runtime.metricsV1(container.id),
  );
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Keys renamed to the proto's field names (the proto root keeps snake_case), values as they are. */
export function protoFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(protoFields);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [snakeCase(key), protoFields(v)]),
  );
}

/** @berth/cgroups' v2 stats (proto fields in lowerCamelCase) as the v2 Metrics message. */
export function metricsV2(metrics: V2Metrics): object {
  const { version: _version, ...fields } = metrics;
  return protoFields(fields) as object;
}

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

/** The part of runc's `events --stats` document that containerd's v1 Metrics carry. */
export interface RuntimeStats {
  cpu?: {
    usage?: { total?: number; percpu?: number[]; kernel?: number; user?: number };
    throttling?: { periods?: number; throttledPeriods?: number; throttledTime?: number };
  };
  memory?: {
    cache?: number;
    usage?: MemoryEntry;
    swap?: MemoryEntry;
    kernel?: MemoryEntry;
    kernelTCP?: MemoryEntry;
    raw?: Record<string, number>;
  };
  pids?: { current?: number; limit?: number };
}

export interface MemoryEntry {
  limit?: number;
  usage?: number;
  max?: number;
  failcnt?: number;
}
