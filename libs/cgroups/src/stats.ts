// Stats shaped as containerd's io.containerd.cgroups.v1.Metrics and io.containerd.cgroups.v2.Metrics
// (field names are the proto fields in lowerCamelCase, as protobuf JSON and codegen name them), so
// Tasks.Metrics can encode them directly and dockerd can derive `docker stats` from either.
// All values are numbers; "max" (unlimited) is MAX_UINT64 as containerd reports it.

/** 2^64: as a double this is the closest value to math.MaxUint64, and uint64 encoders clamp it. */
export const MAX_UINT64 = 2 ** 64;

export interface PidsStat {
  current: number;
  limit: number;
}

export interface V2CpuStat {
  usageUsec: number;
  userUsec: number;
  systemUsec: number;
  nrPeriods: number;
  nrThrottled: number;
  throttledUsec: number;
}

export interface V2MemoryStat {
  anon: number;
  file: number;
  kernelStack: number;
  slab: number;
  sock: number;
  shmem: number;
  fileMapped: number;
  fileDirty: number;
  fileWriteback: number;
  anonThp: number;
  inactiveAnon: number;
  activeAnon: number;
  inactiveFile: number;
  activeFile: number;
  unevictable: number;
  slabReclaimable: number;
  slabUnreclaimable: number;
  pgfault: number;
  pgmajfault: number;
  workingsetRefault: number;
  workingsetActivate: number;
  workingsetNodereclaim: number;
  pgrefill: number;
  pgscan: number;
  pgsteal: number;
  pgactivate: number;
  pgdeactivate: number;
  pglazyfree: number;
  pglazyfreed: number;
  thpFaultAlloc: number;
  thpCollapseAlloc: number;
  usage: number;
  usageLimit: number;
  swapUsage: number;
  swapLimit: number;
}

export interface V2MemoryEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  oomKill: number;
}

export interface V2IoEntry {
  major: number;
  minor: number;
  rbytes: number;
  wbytes: number;
  rios: number;
  wios: number;
}

export interface V2HugeTlbStat {
  current: number;
  max: number;
  pagesize: string;
}

export interface V2Metrics {
  version: 2;
  pids?: PidsStat;
  cpu?: V2CpuStat;
  memory?: V2MemoryStat;
  io?: { usage: V2IoEntry[] };
  hugetlb: V2HugeTlbStat[];
  memoryEvents?: V2MemoryEvents;
}

export interface V1CpuStat {
  usage: { total: number; kernel: number; user: number; perCpu: number[] };
  throttling: { periods: number; throttledPeriods: number; throttledTime: number };
}

export interface V1MemoryEntry {
  limit: number;
  usage: number;
  max: number;
  failcnt: number;
}

export interface V1MemoryStat {
  cache: number;
  rss: number;
  rssHuge: number;
  mappedFile: number;
  dirty: number;
  writeback: number;
  pgPgIn: number;
  pgPgOut: number;
  pgFault: number;
  pgMajFault: number;
  inactiveAnon: number;
  activeAnon: number;
  inactiveFile: number;
  activeFile: number;
  unevictable: number;
  hierarchicalMemoryLimit: number;
  hierarchicalSwapLimit: number;
  totalCache: number;
  totalRss: number;
  totalRssHuge: number;
  totalMappedFile: number;
  totalDirty: number;
  totalWriteback: number;
  totalPgPgIn: number;
  totalPgPgOut: number;
  totalPgFault: number;
  totalPgMajFault: number;
  totalInactiveAnon: number;
  totalActiveAnon: number;
  totalInactiveFile: number;
  totalActiveFile: number;
  totalUnevictable: number;
  usage: V1MemoryEntry;
  swap: V1MemoryEntry;
  kernel: V1MemoryEntry;
  kernelTcp: V1MemoryEntry;
}

export interface V1MemoryOomControl {
  oomKillDisable: number;
  underOom: number;
  oomKill: number;
}

export interface V1BlkIOEntry {
  op: string;
  device: string;
  major: number;
  minor: number;
  value: number;
}

export interface V1BlkIOStat {
  ioServiceBytesRecursive: V1BlkIOEntry[];
  ioServicedRecursive: V1BlkIOEntry[];
  ioQueuedRecursive: V1BlkIOEntry[];
  ioServiceTimeRecursive: V1BlkIOEntry[];
  ioWaitTimeRecursive: V1BlkIOEntry[];
  ioMergedRecursive: V1BlkIOEntry[];
  ioTimeRecursive: V1BlkIOEntry[];
  sectorsRecursive: V1BlkIOEntry[];
}

export interface V1HugetlbStat {
  usage: number;
  max: number;
  failcnt: number;
  pagesize: string;
}

export interface V1Metrics {
  version: 1;
  hugetlb: V1HugetlbStat[];
  pids?: PidsStat;
  cpu?: V1CpuStat;
  memory?: V1MemoryStat;
  blkio?: V1BlkIOStat;
  memoryOomControl?: V1MemoryOomControl;
}

export type CgroupStats = V1Metrics | V2Metrics;
