// `events --stats` prints runc's stats document (libcontainer's types.Stats as JSON), which
// callers of runc read: the cgroup stats @berth/oci reports (containerd's v1/v2 metrics
// shapes) in runc's field names, memory.stat keys under `raw`, and v2 times in nanoseconds.
import type { CgroupStats, V1BlkIOEntry, V1Metrics, V2Metrics } from '@berth/cgroups';

interface MemoryEntry {
  limit: number;
  usage?: number;
  max?: number;
  failcnt: number;
}

export interface RuncStats {
  cpu: {
    usage: { total?: number; percpu?: number[]; kernel: number; user: number };
    throttling: { periods?: number; throttledPeriods?: number; throttledTime?: number };
  };
  memory: {
    cache: number;
    usage: MemoryEntry;
    swap: MemoryEntry;
    kernel: MemoryEntry;
    kernelTCP: MemoryEntry;
    raw?: Record<string, number>;
  };
  pids: { current?: number; limit?: number };
  blkio: Record<string, { major: number; minor: number; op: string; value: number }[]>;
  hugetlb: Record<string, { usage?: number; max?: number; failcnt: number }>;
}

const NO_ENTRY: MemoryEntry = { limit: 0, failcnt: 0 };

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** memory.stat's own names for the v1 counters that are not plain snake case. */
const V1_RAW_NAMES: Record<string, string> = {
  pg_pg_in: 'pgpgin',
  pg_pg_out: 'pgpgout',
  pg_fault: 'pgfault',
  pg_maj_fault: 'pgmajfault',
  hierarchical_swap_limit: 'hierarchical_memsw_limit',
};

function v1RawName(key: string): string {
  const name = snake(key);
  const total = name.startsWith('total_') ? 'total_' : '';
  const base = name.slice(total.length);
  return total + (V1_RAW_NAMES[base] ?? base);
}

function fromV1(stats: V1Metrics): RuncStats {
  const { cpu, memory, pids, blkio } = stats;
  const { usage, swap, kernel, kernelTcp, ...counters } = memory ?? {};
  return {
    cpu: {
      usage: {
        total: cpu?.usage.total,
        percpu: cpu?.usage.perCpu,
        kernel: cpu?.usage.kernel ?? 0,
        user: cpu?.usage.user ?? 0,
      },
      throttling: { ...cpu?.throttling },
    },
    memory: {
      cache: memory?.cache ?? 0,
      usage: usage ?? NO_ENTRY,
      swap: swap ?? NO_ENTRY,
      kernel: kernel ?? NO_ENTRY,
      kernelTCP: kernelTcp ?? NO_ENTRY,
      raw: Object.fromEntries(Object.entries(counters).map(([k, v]) => [v1RawName(k), v])),
    },
    pids: { ...pids },
    blkio: Object.fromEntries(
      Object.entries(blkio ?? {}).map(([k, entries]: [string, V1BlkIOEntry[]]) => [
        snake(k),
        entries.map(({ major, minor, op, value }) => ({ major, minor, op, value })),
      ]),
    ),
    hugetlb: Object.fromEntries(
      stats.hugetlb.map(({ pagesize, usage: u, max, failcnt }) => [
        pagesize,
        { usage: u, max, failcnt },
      ]),
    ),
  };
}

/** As runc fills its v1-shaped document on a v2 host: microseconds become nanoseconds. */
function fromV2(stats: V2Metrics): RuncStats {
  const { cpu, memory, pids } = stats;
  const { usage, usageLimit, swapUsage, swapLimit, ...counters } = memory ?? {};
  return {
    cpu: {
      usage: {
        total: (cpu?.usageUsec ?? 0) * 1000,
        kernel: (cpu?.systemUsec ?? 0) * 1000,
        user: (cpu?.userUsec ?? 0) * 1000,
      },
      throttling: {
        periods: cpu?.nrPeriods,
        throttledPeriods: cpu?.nrThrottled,
        throttledTime: (cpu?.throttledUsec ?? 0) * 1000,
      },
    },
    memory: {
      cache: memory?.file ?? 0,
      usage: { usage, limit: usageLimit ?? 0, failcnt: 0 },
      swap: { usage: swapUsage, limit: swapLimit ?? 0, failcnt: 0 },
      kernel: NO_ENTRY,
      kernelTCP: NO_ENTRY,
      raw: Object.fromEntries(Object.entries(counters).map(([k, v]) => [snake(k), v])),
    },
    pids: { ...pids },
    blkio: {},
    hugetlb: Object.fromEntries(
      stats.hugetlb.map(({ pagesize, current, max }) => [
        pagesize,
        { usage: current, max, failcnt: 0 },
      ]),
    ),
  };
}

export function runcStats(stats: CgroupStats): RuncStats {
  return stats.version === 1 ? fromV1(stats) : fromV2(stats);
}
