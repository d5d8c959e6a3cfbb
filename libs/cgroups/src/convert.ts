// Conversions from OCI spec values (designed around cgroup v1) to cgroup files, exactly as runc
// (opencontainers/cgroups) does them, so the same config.json gives the same cgroup on both.
import { CgroupError } from './errors';

/**
 * cpu.shares [2..262144] to cpu.weight [1..10000] with the quadratic-in-log2 fit that maps the
 * defaults onto each other (1024 -> 100), used by runc >= 1.3 and crun >= 1.23.
 * The older linear 1 + (shares-2)*9999/262142 mapped 1024 to 39 (kubernetes#131216).
 */
export function cpuSharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612 - 7 / 34;
  return Math.ceil(Math.pow(10, exponent));
}

/** blkio.weight [10..1000] to io.weight [1..10000], when no BFQ io.bfq.weight is there. */
export function blkioWeightToIoWeight(weight: number): number {
  if (weight === 0) return 0;
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

/**
 * The spec's memory.swap is memory+swap (v1 memsw); v2's memory.swap.max is swap alone.
 * Returns -1 for unlimited, 0 for "leave unset".
 */
export function memorySwapToV2(swap: number, memory: number): number {
  // Unlimited memory with swap unset means both unlimited, as on v1.
  if (memory === -1 && swap === 0) return -1;
  if (swap === -1 || swap === 0) return swap;
  if (memory === 0 || memory === -1) {
    throw new CgroupError('unable to set swap limit without memory limit');
  }
  if (memory < 0) throw new CgroupError(`invalid memory value: ${memory}`);
  if (swap < memory) throw new CgroupError('memory+swap limit should be >= memory limit');
  return swap - memory;
}

/** A v2 limit value: 0 means unset (undefined), -1 (or any negative) means "max". */
export function limitToV2(value: number | undefined): string | undefined {
  if (value === undefined || value === 0) return undefined;
  return value < 0 ? 'max' : String(value);
}

/** v2 cpu.max from quota/period; runc writes "max" for a non-positive quota. */
export function cpuMax(quota = 0, period = 0): string | undefined {
  if (quota === 0 && period === 0) return undefined;
  const q = quota > 0 ? String(quota) : 'max';
  return period !== 0 ? `${q} ${period}` : q;
}

/** pids.limit: a positive number limits; 0 or -1 is unlimited, as in runc's specconv. */
export function pidsMax(limit: number): string {
  return limit > 0 ? String(limit) : 'max';
}

/** "2MB" -> "2MB": validates the page size the kernel names hugetlb files with. */
export function checkPageSize(pageSize: string): string {
  if (!/^\d+[KMG]B$/.test(pageSize)) {
    throw new CgroupError(`invalid hugepage size ${JSON.stringify(pageSize)} (want e.g. 2MB, 1GB)`);
  }
  return pageSize;
}
