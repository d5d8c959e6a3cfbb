// `docker stats` samples in the Engine API's shape (StatsJSON), converted from containerd's
// Tasks.Metrics (cgroup v1 or v2 metrics) as moby's stats_unix.go does, plus what the
// daemon adds: host CPU time from /proc/stat, online CPUs, and per-interface counters.
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { unpackAny } from '@berth/proto';
import type { ContainerdConnection } from '../containerd/connection';
import { GrpcCode, grpcCode } from '../containerd/connection';
import type { Container } from './manager';
import { ZERO_TIME } from './record';

type Raw = Record<string, unknown>;

export interface CpuStats {
  cpu_usage: {
    total_usage: number;
    percpu_usage?: number[];
    usage_in_kernelmode: number;
    usage_in_usermode: number;
  };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface NetworkStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

/** One sample, without the fields the stream adds (name, id, preread, precpu_stats). */
export interface StatsSample {
  read: string;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: Record<string, BlkioEntry[] | null>;
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: CpuStats;
  memory_stats: {
    usage?: number;
    max_usage?: number;
    stats?: Record<string, number>;
    failcnt?: number;
    limit?: number;
  };
  networks?: Record<string, NetworkStats>;
}

export interface HostFigures {
  /** Host CPU time in nanoseconds (moby's getSystemCPUUsage). */
  systemCpuUsage: number;
  onlineCpus: number;
  /** Total memory: the limit reported when the container has none. */
  machineMemory: number;
}

const BLKIO_KEYS = [
  'io_service_bytes_recursive',
  'io_serviced_recursive',
  'io_queue_recursive',
  'io_service_time_recursive',
  'io_wait_time_recursive',
  'io_merged_recursive',
  'io_time_recursive',
  'sectors_recursive',
];

const num = (v: unknown) => Number(v ?? 0);
const obj = (v: unknown) => (v ?? {}) as Raw;

export function emptyCpuStats(): CpuStats {
  return {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

/** What Docker reports for a container that is not running: zeros. */
export function emptySample(): StatsSample {
  return {
    read: ZERO_TIME,
    pids_stats: {},
    blkio_stats: Object.fromEntries(BLKIO_KEYS.map((k) => [k, null])),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: emptyCpuStats(),
    memory_stats: {},
  };
}

// cgroup v1 memory.stat keys under Docker's names, from the proto's field names.
const V1_MEMORY_KEYS: Record<string, string> = {
  pg_pg_in: 'pgpgin',
  pg_pg_out: 'pgpgout',
  pg_fault: 'pgfault',
  pg_maj_fault: 'pgmajfault',
  total_pg_pg_in: 'total_pgpgin',
  total_pg_pg_out: 'total_pgpgout',
  total_pg_fault: 'total_pgfault',
  total_pg_maj_fault: 'total_pgmajfault',
  hierarchical_swap_limit: 'hierarchical_memsw_limit',
};

function numericFields(message: Raw, rename: Record<string, string> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(message))
    if (typeof value === 'string' || typeof value === 'number')
      out[rename[key] ?? key] = num(value);
  return out;
}

/** A limit of "unlimited" (or above the host's memory) is reported as the host's memory. */
const clampLimit = (limit: number, machineMemory: number) =>
  limit === 0 || limit > machineMemory ? machineMemory : limit;

function fromV1(m: Raw, host: HostFigures): Partial<StatsSample> {
  const cpu = obj(m.cpu);
  const usage = obj(cpu.usage);
  const throttle = obj(cpu.throttling);
  const memory = obj(m.memory);
  const memUsage = obj(memory.usage);
  const blkio = obj(m.blkio);
  const pids = obj(m.pids);
  return {
    pids_stats: {
      current: num(pids.current),
      ...(num(pids.limit) ? { limit: num(pids.limit) } : {}),
    },
    blkio_stats: Object.fromEntries(
      BLKIO_KEYS.map((key) => {
        const entries = blkio[key.replace('io_queue_', 'io_queued_')] as Raw[] | undefined;
        return [
          key,
          entries?.length
            ? entries.map((e) => ({
                major: num(e.major),
                minor: num(e.minor),
                op: String(e.op),
                value: num(e.value),
              }))
            : null,
        ];
      }),
    ),
    cpu_stats: {
      cpu_usage: {
        total_usage: num(usage.total),
        percpu_usage: ((usage.per_cpu as unknown[]) ?? []).map(num),
        usage_in_kernelmode: num(usage.kernel),
        usage_in_usermode: num(usage.user),
      },
      throttling_data: {
        periods: num(throttle.periods),
        throttled_periods: num(throttle.throttled_periods),
        throttled_time: num(throttle.throttled_time),
      },
    },
    memory_stats: {
      usage: num(memUsage.usage),
      max_usage: num(memUsage.max),
      stats: numericFields(memory, V1_MEMORY_KEYS),
      failcnt: num(memUsage.failcnt),
      limit: clampLimit(num(memUsage.limit), host.machineMemory),
    },
  };
}

function fromV2(m: Raw, host: HostFigures): Partial<StatsSample> {
  const cpu = obj(m.cpu);
  const memory = obj(m.memory);
  const pids = obj(m.pids);
  const io = (obj(m.io).usage as Raw[] | undefined) ?? [];
  const ioEntries = (read: string, write: string) =>
    io.length
      ? io.flatMap((e) => [
          { major: num(e.major), minor: num(e.minor), op: 'read', value: num(e[read]) },
          { major: num(e.major), minor: num(e.minor), op: 'write', value: num(e[write]) },
        ])
      : null;
  const { usage = 0, usage_limit = 0, ...stats } = numericFields(memory);
  // Swap is not part of memory.stat's keys in Docker's v2 view.
  delete stats.swap_usage;
  delete stats.swap_limit;
  return {
    pids_stats: {
      current: num(pids.current),
      ...(num(pids.limit) ? { limit: num(pids.limit) } : {}),
    },
    blkio_stats: {
      ...emptySample().blkio_stats,
      io_service_bytes_recursive: ioEntries('rbytes', 'wbytes'),
      io_serviced_recursive: ioEntries('rios', 'wios'),
    },
    cpu_stats: {
      cpu_usage: {
        total_usage: num(cpu.usage_usec) * 1000,
        usage_in_kernelmode: num(cpu.system_usec) * 1000,
        usage_in_usermode: num(cpu.user_usec) * 1000,
      },
      throttling_data: {
        periods: num(cpu.nr_periods),
        throttled_periods: num(cpu.nr_throttled),
        throttled_time: num(cpu.throttled_usec) * 1000,
      },
    },
    memory_stats: {
      usage,
      stats,
      limit: clampLimit(usage_limit, host.machineMemory),
    },
  };
}

/** Converts one containerd metric (already unpacked from its Any) into a stats sample. */
export function sampleFromMetrics(
  typeName: string,
  metrics: Raw,
  host: HostFigures,
  read: Date,
): StatsSample {
  const converted = typeName.endsWith('v2.Metrics') ? fromV2(metrics, host) : fromV1(metrics, host);
  const sample: StatsSample = { ...emptySample(), ...converted, read: read.toISOString() };
  sample.cpu_stats.system_cpu_usage = host.systemCpuUsage;
  sample.cpu_stats.online_cpus = host.onlineCpus;
  return sample;
}

/** Host CPU time in nanoseconds: user..softirq of /proc/stat's first line at USER_HZ 100. */
export function systemCpuUsage(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('invalid /proc/stat: no cpu line');
  const ticks = line
    .trim()
    .split(/\s+/)
    .slice(1, 8)
    .reduce((sum, v) => sum + Number(v), 0);
  return (ticks * 1e9) / 100;
}

/** Per-interface counters from /proc/<pid>/net/dev, loopback left out as Docker does. */
export function parseNetDev(text: string): Record<string, NetworkStats> {
  const out: Record<string, NetworkStats> = {};
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo') continue;
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    out[name] = {
      rx_bytes: f[0] ?? 0,
      rx_packets: f[1] ?? 0,
      rx_errors: f[2] ?? 0,
      rx_dropped: f[3] ?? 0,
      tx_bytes: f[8] ?? 0,
      tx_packets: f[9] ?? 0,
      tx_errors: f[10] ?? 0,
      tx_dropped: f[11] ?? 0,
    };
  }
  return out;
}

async function hostFigures(): Promise<HostFigures> {
  return {
    systemCpuUsage: systemCpuUsage(await readFile('/proc/stat', 'utf8')),
    onlineCpus: cpus().length,
    machineMemory: totalmem(),
  };
}

async function networks(container: Container): Promise<Record<string, NetworkStats> | undefined> {
  const { Pid } = container.record.State;
  if (!Pid || container.record.HostConfig.NetworkMode === 'host') return undefined;
  const text = await readFile(`/proc/${Pid}/net/dev`, 'utf8').catch(() => '');
  const found = parseNetDev(text);
  return Object.keys(found).length ? found : undefined;
}

/** Takes one sample of a container: zeros when it is not running (or just exited). */
export async function sampleContainer(
  connection: ContainerdConnection,
  container: Container,
): Promise<StatsSample> {
  if (container.record.State.Status !== 'running' && container.record.State.Status !== 'paused')
    return emptySample();
  let metric: { data: { type_url: string; value: Buffer } } | undefined;
  try {
    const res = await connection.call<{ metrics: { data: { type_url: string; value: Buffer } }[] }>(
      'tasks',
      'Metrics',
      { filters: [`id==${container.id}`] },
    );
    metric = res.metrics[0];
  } catch (err) {
    if (grpcCode(err) !== GrpcCode.NOT_FOUND) throw err;
  }
  if (!metric) return emptySample();
  const { typeName, value } = unpackAny(metric.data);
  const sample = sampleFromMetrics(typeName, value, await hostFigures(), new Date());
  const nets = await networks(container);
  if (nets) sample.networks = nets;
  return sample;
}
