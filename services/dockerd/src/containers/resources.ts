// A container's resource limits as OCI LinuxResources: the whole set for the container's
// spec (what `docker run` asked for, as later updated), and the delta `docker update` sends
// to the running task (moby's toContainerdResources).
import type { HostConfig } from './record';

export interface LinuxResources {
  memory?: { limit?: number; swap?: number; reservation?: number };
  cpu?: {
    shares?: number;
    quota?: number;
    period?: number;
    cpus?: string;
    mems?: string;
  };
  pids?: { limit: number };
  blockIO?: { weight: number };
}

/** The CFS period Docker uses for --cpus, in microseconds. */
export const NANO_CPUS_PERIOD = 100_000;

function cpu(host: HostConfig, always: boolean): LinuxResources['cpu'] {
  const out: NonNullable<LinuxResources['cpu']> = {};
  if (host.CpusetCpus) out.cpus = host.CpusetCpus;
  if (host.CpusetMems) out.mems = host.CpusetMems;
  if (host.CpuShares) out.shares = host.CpuShares;
  let period = 0;
  let quota = 0;
  if (host.NanoCpus) {
    period = NANO_CPUS_PERIOD;
    quota = Math.round((host.NanoCpus * NANO_CPUS_PERIOD) / 1e9);
  }
  quota ||= host.CpuQuota ?? 0;
  period ||= host.CpuPeriod ?? 0;
  // The task update always carries both; runc leaves a zero alone.
  if (always || period) out.period = period;
  if (always || quota) out.quota = quota;
  return always || Object.keys(out).length ? out : undefined;
}

function memory(host: HostConfig): LinuxResources['memory'] {
  const out: NonNullable<LinuxResources['memory']> = {};
  if (host.Memory) out.limit = host.Memory;
  if (host.MemorySwap) out.swap = host.MemorySwap;
  if (host.MemoryReservation) out.reservation = host.MemoryReservation;
  return out;
}

/** Docker's PidsLimit: null leaves it, zero or negative lifts it (-1 to runc). */
function pids(limit: number | null | undefined): LinuxResources['pids'] {
  if (limit === null || limit === undefined) return undefined;
  return { limit: limit > 0 ? limit : -1 };
}

/** Docker's create-time default (adaptContainerSettings): swap twice the memory limit. */
export function withDefaultSwap(host: HostConfig): HostConfig {
  return host.Memory && host.Memory > 0 && !host.MemorySwap
    ? { ...host, MemorySwap: host.Memory * 2 }
    : host;
}

/** The resources of a container's spec, from its host config (device rules aside). */
export function specResources(host: HostConfig): LinuxResources {
  const out: LinuxResources = {};
  const mem = memory(host);
  if (Object.keys(mem ?? {}).length) out.memory = mem;
  const c = cpu(host, false);
  if (c) out.cpu = c;
  if (host.PidsLimit && host.PidsLimit > 0) out.pids = { limit: host.PidsLimit };
  if (host.BlkioWeight) out.blockIO = { weight: host.BlkioWeight };
  return out;
}

/** What Tasks.Update receives for a `docker update` request: only what it names. */
export function updateResources(update: HostConfig): LinuxResources {
  const out: LinuxResources = { cpu: cpu(update, true), memory: memory(update) };
  const p = pids(update.PidsLimit);
  if (p) out.pids = p;
  if (update.BlkioWeight) out.blockIO = { weight: update.BlkioWeight };
  return out;
}
