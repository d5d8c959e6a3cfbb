// Reads the v1 controller directories into containerd's io.containerd.cgroups.v1.Metrics shape.
// A controller that is not mounted leaves its section out.
import type { CgroupDir } from '../cgroup-dir';
import { CgroupError } from '../errors';
import { parseFlatKeyed, parseValue } from '../parse';
import type {
  PidsStat,
  V1BlkIOEntry,
  V1BlkIOStat,
  V1CpuStat,
  V1HugetlbStat,
  V1MemoryEntry,
  V1MemoryOomControl,
  V1MemoryStat,
  V1Metrics,
} from '../stats';
import type { ControllerDirs } from './resources';

/** cpuacct.stat counts USER_HZ ticks, which Linux fixes at 100 per second for userspace. */
const NS_PER_TICK = 1e9 / 100;

export async function readV1Stats(dirs: ControllerDirs): Promise<V1Metrics> {
  const at = <T>(c: string, read: (d: CgroupDir) => Promise<T>) => {
    const d = dirs(c);
    return d ? read(d) : Promise.resolve(undefined);
  };
  const [pids, cpu, memory, memoryOomControl, blkio, hugetlb] = await Promise.all([
    at('pids', readPids),
    at('cpuacct', (d) => readCpu(d, dirs('cpu'))),
    at('memory', readMemory),
    at('memory', readOomControl),
    at('blkio', readBlkio),
    at('hugetlb', readHugetlb),
  ]);
  return { version: 1, pids, cpu, memory, memoryOomControl, blkio, hugetlb: hugetlb ?? [] };
}

const num = async (d: CgroupDir, name: string) => parseValue(await d.read(name), d.file(name));

async function keyed(d: CgroupDir, name: string): Promise<(k: string) => number> {
  const values = parseFlatKeyed(await d.read(name), d.file(name));
  return (k) => values.get(k) ?? 0;
}

async function readPids(d: CgroupDir): Promise<PidsStat> {
  const max = (await d.read('pids.max')).trim();
  // containerd reports an unlimited v1 pids.max as 0.
  return { current: await num(d, 'pids.current'), limit: max === 'max' ? 0 : Number(max) };
}

async function readCpu(acct: CgroupDir, cpu: CgroupDir | undefined): Promise<V1CpuStat> {
  const stat = await keyed(acct, 'cpuacct.stat');
  const perCpu = (await acct.read('cpuacct.usage_percpu')).split(/\s+/).filter(Boolean).map(Number);
  const throttle = cpu ? await keyed(cpu, 'cpu.stat') : () => 0;
  return {
    usage: {
      total: await num(acct, 'cpuacct.usage'),
      kernel: stat('system') * NS_PER_TICK,
      user: stat('user') * NS_PER_TICK,
      perCpu,
    },
    throttling: {
      periods: throttle('nr_periods'),
      throttledPeriods: throttle('nr_throttled'),
      throttledTime: throttle('throttled_time'),
    },
  };
}

// memory.stat key for each Metrics field (the total_* twins are added with the prefix).
const MEMORY_STAT_KEYS = {
  cache: 'cache',
  rss: 'rss',
  rssHuge: 'rss_huge',
  mappedFile: 'mapped_file',
  dirty: 'dirty',
  writeback: 'writeback',
  pgPgIn: 'pgpgin',
  pgPgOut: 'pgpgout',
  pgFault: 'pgfault',
  pgMajFault: 'pgmajfault',
  inactiveAnon: 'inactive_anon',
  activeAnon: 'active_anon',
  inactiveFile: 'inactive_file',
  activeFile: 'active_file',
  unevictable: 'unevictable',
} as const;

type MemoryCounters = Record<keyof typeof MEMORY_STAT_KEYS, number>;
const totalField = (f: string) => `total${f[0]?.toUpperCase()}${f.slice(1)}`;

async function readMemory(d: CgroupDir): Promise<V1MemoryStat> {
  const stat = await keyed(d, 'memory.stat');
  const own = {} as MemoryCounters;
  const total: Record<string, number> = {};
  for (const [field, key] of Object.entries(MEMORY_STAT_KEYS)) {
    own[field as keyof MemoryCounters] = stat(key);
    total[totalField(field)] = stat(`total_${key}`);
  }
  const [usage, swap, kernel, kernelTcp] = await Promise.all(
    ['memory', 'memory.memsw', 'memory.kmem', 'memory.kmem.tcp'].map((p) => readEntry(d, p)),
  );
  return {
    ...own,
    ...(total as { [K in keyof MemoryCounters as `total${Capitalize<K>}`]: number }),
    hierarchicalMemoryLimit: stat('hierarchical_memory_limit'),
    hierarchicalSwapLimit: stat('hierarchical_memsw_limit'),
    usage: usage ?? emptyEntry(),
    swap: swap ?? emptyEntry(),
    kernel: kernel ?? emptyEntry(),
    kernelTcp: kernelTcp ?? emptyEntry(),
  };
}

const emptyEntry = (): V1MemoryEntry => ({ limit: 0, usage: 0, max: 0, failcnt: 0 });

/** usage/limit/max/failcnt of one memory counter; undefined when the kernel lacks it (no swap accounting). */
async function readEntry(d: CgroupDir, prefix: string): Promise<V1MemoryEntry | undefined> {
  const usage = await d.tryRead(`${prefix}.usage_in_bytes`);
  if (usage === undefined) return undefined;
  return {
    usage: parseValue(usage, d.file(`${prefix}.usage_in_bytes`)),
    limit: await num(d, `${prefix}.limit_in_bytes`),
    max: await num(d, `${prefix}.max_usage_in_bytes`),
    failcnt: await num(d, `${prefix}.failcnt`),
  };
}

async function readOomControl(d: CgroupDir): Promise<V1MemoryOomControl> {
  const v = await keyed(d, 'memory.oom_control');
  return {
    oomKillDisable: v('oom_kill_disable'),
    underOom: v('under_oom'),
    oomKill: v('oom_kill'),
  };
}

/** blkio files: "major:minor Op value" (or "major:minor value"), closed by a "Total" line. */
export function parseBlkioEntries(text: string, file: string): V1BlkIOEntry[] {
  const entries: V1BlkIOEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === '' || fields[0] === 'Total') continue;
    const dev = /^(\d+):(\d+)$/.exec(fields[0] ?? '');
    const value = fields[fields.length - 1];
    if (!dev || value === undefined || fields.length > 3) {
      throw new CgroupError(`parse ${file}: malformed line ${JSON.stringify(line)}`);
    }
    entries.push({
      op: fields.length === 3 ? (fields[1] ?? '') : '',
      device: '',
      major: Number(dev[1]),
      minor: Number(dev[2]),
      value: parseValue(value, file),
    });
  }
  return entries;
}

const BLKIO_FILES = {
  ioServiceBytesRecursive: 'io_service_bytes_recursive',
  ioServicedRecursive: 'io_serviced_recursive',
  ioQueuedRecursive: 'io_queued_recursive',
  ioServiceTimeRecursive: 'io_service_time_recursive',
  ioWaitTimeRecursive: 'io_wait_time_recursive',
  ioMergedRecursive: 'io_merged_recursive',
  ioTimeRecursive: 'time_recursive',
  sectorsRecursive: 'sectors_recursive',
} as const;

async function readBlkio(d: CgroupDir): Promise<V1BlkIOStat> {
  const read = async (name: string) => {
    const text = await d.tryRead(name);
    return text === undefined ? [] : parseBlkioEntries(text, d.file(name));
  };
  const stat = {} as V1BlkIOStat;
  for (const [field, file] of Object.entries(BLKIO_FILES)) {
    stat[field as keyof V1BlkIOStat] = await read(`blkio.${file}`);
  }
  // Without CFQ/BFQ the proportional files stay empty; the throttle layer still counts, and
  // containerd falls back to it the same way.
  if (Object.values(stat).every((e) => e.length === 0)) {
    stat.ioServiceBytesRecursive = await read('blkio.throttle.io_service_bytes_recursive');
    stat.ioServicedRecursive = await read('blkio.throttle.io_serviced_recursive');
  }
  return stat;
}

async function readHugetlb(d: CgroupDir): Promise<V1HugetlbStat[]> {
  const sizes = (await d.fs.readdir(d.dir))
    .map((e) => /^hugetlb\.(\d+[KMG]B)\.usage_in_bytes$/.exec(e.name)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
  return Promise.all(
    sizes.map(async (pagesize) => ({
      pagesize,
      usage: await num(d, `hugetlb.${pagesize}.usage_in_bytes`),
      max: await num(d, `hugetlb.${pagesize}.max_usage_in_bytes`),
      failcnt: await num(d, `hugetlb.${pagesize}.failcnt`),
    })),
  );
}
