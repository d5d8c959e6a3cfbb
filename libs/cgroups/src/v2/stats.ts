// Reads a cgroup v2 directory into containerd's io.containerd.cgroups.v2.Metrics shape. A section
// whose controller is not enabled here is left out rather than reported as zeros.
import type { CgroupDir } from '../cgroup-dir';
import { parseFlatKeyed, parseNestedKeyed, parseValue } from '../parse';
import type {
  PidsStat,
  V2CpuStat,
  V2HugeTlbStat,
  V2IoEntry,
  V2MemoryEvents,
  V2MemoryStat,
  V2Metrics,
} from '../stats';

export async function readV2Stats(dir: CgroupDir): Promise<V2Metrics> {
  const [pids, cpu, memory, memoryEvents, io, hugetlb] = await Promise.all([
    readPids(dir),
    readCpu(dir),
    readMemory(dir),
    readMemoryEvents(dir),
    readIo(dir),
    readHugetlb(dir),
  ]);
  return { version: 2, pids, cpu, memory, memoryEvents, io, hugetlb };
}

async function readNumber(dir: CgroupDir, name: string): Promise<number | undefined> {
  const text = await dir.tryRead(name);
  return text === undefined ? undefined : parseValue(text, dir.file(name));
}

async function readKeyed(dir: CgroupDir, name: string) {
  const text = await dir.tryRead(name);
  return text === undefined ? undefined : parseFlatKeyed(text, dir.file(name));
}

async function readPids(dir: CgroupDir): Promise<PidsStat | undefined> {
  const current = await readNumber(dir, 'pids.current');
  if (current === undefined) return undefined;
  return { current, limit: (await readNumber(dir, 'pids.max')) ?? 0 };
}

async function readCpu(dir: CgroupDir): Promise<V2CpuStat | undefined> {
  const s = await readKeyed(dir, 'cpu.stat');
  if (!s) return undefined;
  const v = (k: string) => s.get(k) ?? 0;
  return {
    usageUsec: v('usage_usec'),
    userUsec: v('user_usec'),
    systemUsec: v('system_usec'),
    nrPeriods: v('nr_periods'),
    nrThrottled: v('nr_throttled'),
    throttledUsec: v('throttled_usec'),
  };
}

// memory.stat key for each Metrics field; keys missing on older kernels read as 0.
const MEMORY_STAT_KEYS = {
  anon: 'anon',
  file: 'file',
  kernelStack: 'kernel_stack',
  slab: 'slab',
  sock: 'sock',
  shmem: 'shmem',
  fileMapped: 'file_mapped',
  fileDirty: 'file_dirty',
  fileWriteback: 'file_writeback',
  anonThp: 'anon_thp',
  inactiveAnon: 'inactive_anon',
  activeAnon: 'active_anon',
  inactiveFile: 'inactive_file',
  activeFile: 'active_file',
  unevictable: 'unevictable',
  slabReclaimable: 'slab_reclaimable',
  slabUnreclaimable: 'slab_unreclaimable',
  pgfault: 'pgfault',
  pgmajfault: 'pgmajfault',
  workingsetRefault: 'workingset_refault',
  workingsetActivate: 'workingset_activate',
  workingsetNodereclaim: 'workingset_nodereclaim',
  pgrefill: 'pgrefill',
  pgscan: 'pgscan',
  pgsteal: 'pgsteal',
  pgactivate: 'pgactivate',
  pgdeactivate: 'pgdeactivate',
  pglazyfree: 'pglazyfree',
  pglazyfreed: 'pglazyfreed',
  thpFaultAlloc: 'thp_fault_alloc',
  thpCollapseAlloc: 'thp_collapse_alloc',
} as const;

async function readMemory(dir: CgroupDir): Promise<V2MemoryStat | undefined> {
  const [s, usage, usageLimit, swapUsage, swapLimit] = await Promise.all([
    readKeyed(dir, 'memory.stat'),
    readNumber(dir, 'memory.current'),
    readNumber(dir, 'memory.max'),
    readNumber(dir, 'memory.swap.current'),
    readNumber(dir, 'memory.swap.max'),
  ]);
  if (!s || usage === undefined) return undefined;
  const fields = Object.fromEntries(
    Object.entries(MEMORY_STAT_KEYS).map(([field, key]) => [field, s.get(key) ?? 0]),
  ) as Record<keyof typeof MEMORY_STAT_KEYS, number>;
  return {
    ...fields,
    usage,
    usageLimit: usageLimit ?? 0,
    swapUsage: swapUsage ?? 0,
    swapLimit: swapLimit ?? 0,
  };
}

async function readMemoryEvents(dir: CgroupDir): Promise<V2MemoryEvents | undefined> {
  const e = await readKeyed(dir, 'memory.events');
  if (!e) return undefined;
  const v = (k: string) => e.get(k) ?? 0;
  return { low: v('low'), high: v('high'), max: v('max'), oom: v('oom'), oomKill: v('oom_kill') };
}

async function readIo(dir: CgroupDir): Promise<{ usage: V2IoEntry[] } | undefined> {
  const text = await dir.tryRead('io.stat');
  if (text === undefined) return undefined;
  const usage = parseNestedKeyed(text, dir.file('io.stat')).map(({ major, minor, values }) => {
    const v = (k: string) => values.get(k) ?? 0;
    return {
      major,
      minor,
      rbytes: v('rbytes'),
      wbytes: v('wbytes'),
      rios: v('rios'),
      wios: v('wios'),
    };
  });
  return { usage };
}

async function readHugetlb(dir: CgroupDir): Promise<V2HugeTlbStat[]> {
  const sizes = (await dir.fs.readdir(dir.dir))
    .map((e) => /^hugetlb\.(\d+[KMG]B)\.current$/.exec(e.name)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
  return Promise.all(
    sizes.map(async (pagesize) => ({
      pagesize,
      current: (await readNumber(dir, `hugetlb.${pagesize}.current`)) ?? 0,
      max: (await readNumber(dir, `hugetlb.${pagesize}.max`)) ?? 0,
    })),
  );
}
