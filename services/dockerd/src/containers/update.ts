// `docker update`: Docker's validation of the new limits (verifyPlatformContainerResources
// and Container.UpdateContainer), the merge into the container's HostConfig, and the
// resources handed to the running task.
import { availableParallelism } from 'node:os';
import { ApiError, invalidParameter } from '../api/errors';
import type { HostConfig } from './record';

/** The body of POST /containers/{id}/update: resources and the restart policy. */
export type UpdateConfig = Pick<
  HostConfig,
  | 'Memory'
  | 'MemorySwap'
  | 'MemoryReservation'
  | 'NanoCpus'
  | 'CpuShares'
  | 'CpuQuota'
  | 'CpuPeriod'
  | 'CpusetCpus'
  | 'CpusetMems'
  | 'PidsLimit'
  | 'BlkioWeight'
  | 'RestartPolicy'
>;

/** The smallest memory limit or reservation Docker accepts (linuxMinMemory). */
export const MIN_MEMORY = 6 * 1024 * 1024;
const RESTART_POLICIES = ['', 'no', 'always', 'on-failure', 'unless-stopped'];

/** Parses a cpuset list ("0-2,4") into its members; throws on a malformed one. */
export function parseCpuset(list: string): number[] {
  const members: number[] = [];
  for (const part of list.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) throw new Error(`invalid format: ${list}`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (to < from) throw new Error(`invalid format: ${list}`);
    for (let i = from; i <= to; i++) members.push(i);
  }
  return members;
}

function checkCpuset(value: string | undefined, kind: 'cpus' | 'mems', available: number) {
  if (!value) return;
  let members: number[];
  try {
    members = parseCpuset(value);
  } catch (err) {
    throw invalidParameter(`Invalid value ${value} for cpuset ${kind}: ${(err as Error).message}`);
  }
  if (members.some((m) => m >= available)) {
    const list = available > 1 ? `0-${available - 1}` : '0';
    throw invalidParameter(
      kind === 'cpus'
        ? `Requested CPUs are not available - requested ${value}, available: ${list}`
        : `Requested memory nodes are not available - requested ${value}, available: ${list}`,
    );
  }
}

/**
 * Docker's checks of the limits asked for at create or update, on their own (400 Bad
 * Request, verifyPlatformContainerResources). The host's CPUs are counted as Docker's
 * sysinfo.NumCPU counts them, from the affinity mask (os.cpus() would parse /proc/cpuinfo
 * on every create).
 */
export function validateResources(
  update: UpdateConfig,
  forUpdate: boolean,
  hostCpus = availableParallelism(),
): void {
  const fail = (message: string) => {
    throw invalidParameter(message);
  };
  const memory = update.Memory ?? 0;
  const swap = update.MemorySwap ?? 0;
  const reservation = update.MemoryReservation ?? 0;
  const nanoCpus = update.NanoCpus ?? 0;
  if (memory !== 0 && memory < MIN_MEMORY) fail('Minimum memory limit allowed is 6MB');
  if (memory > 0 && swap > 0 && swap < memory)
    fail('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (memory === 0 && swap > 0 && !forUpdate)
    fail('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (reservation > 0 && reservation < MIN_MEMORY)
    fail('Minimum memory reservation allowed is 6MB');
  if (memory > 0 && reservation > 0 && memory < reservation)
    fail('Minimum memory limit can not be less than memory reservation limit, see usage');
  if (nanoCpus > 0 && (update.CpuPeriod ?? 0) > 0)
    fail('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nanoCpus > 0 && (update.CpuQuota ?? 0) > 0)
    fail('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nanoCpus < 0 || nanoCpus > hostCpus * 1e9)
    fail(
      `Range of CPUs is from 0.01 to ${hostCpus}.00, as there are only ${hostCpus} CPUs available`,
    );
  const period = update.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1_000_000))
    fail('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  const quota = update.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) fail('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  checkCpuset(update.CpusetCpus, 'cpus', hostCpus);
  checkCpuset(update.CpusetMems, 'mems', 1);
  const weight = update.BlkioWeight ?? 0;
  if (weight > 0 && (weight < 10 || weight > 1000))
    fail('Range of blkio weight is from 10 to 1000');
  const policy = update.RestartPolicy;
  if (policy?.Name !== undefined && !RESTART_POLICIES.includes(policy.Name))
    fail(
      `invalid restart policy: unknown policy '${policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`,
    );
  if ((policy?.MaximumRetryCount ?? 0) < 0)
    fail('invalid restart policy: maximum retry count cannot be negative');
  if (policy?.MaximumRetryCount && policy.Name !== 'on-failure')
    fail("invalid restart policy: maximum retry count can only be used with 'on-failure'");
}

/**
 * The container's host config with the update merged in, as Container.UpdateContainer
 * does: a zero or empty field leaves the current value. Throws Docker's conflicts (409).
 */
export function mergeUpdate(current: HostConfig, update: UpdateConfig): HostConfig {
  const conflict = (message: string) => {
    throw new ApiError(409, message);
  };
  const set = (value: number | undefined) => (value ?? 0) > 0;
  if (set(update.NanoCpus) && set(current.CpuPeriod))
    conflict('Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
  if (set(update.NanoCpus) && set(current.CpuQuota))
    conflict('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
  if (set(update.CpuPeriod) && set(current.NanoCpus))
    conflict('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (set(update.CpuQuota) && set(current.NanoCpus))
    conflict('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (update.Memory && update.Memory > (current.MemorySwap ?? 0) && !update.MemorySwap)
    conflict(
      'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time',
    );
  const merged: HostConfig = { ...current };
  const numeric = [
    'BlkioWeight',
    'CpuShares',
    'NanoCpus',
    'CpuPeriod',
    'CpuQuota',
    'Memory',
    'MemorySwap',
    'MemoryReservation',
  ] as const;
  for (const key of numeric) if (update[key]) merged[key] = update[key];
  if (update.CpusetCpus) merged.CpusetCpus = update.CpusetCpus;
  if (update.CpusetMems) merged.CpusetMems = update.CpusetMems;
  if (update.PidsLimit !== undefined && update.PidsLimit !== null)
    merged.PidsLimit = update.PidsLimit;
  if (update.RestartPolicy?.Name) {
    if (update.RestartPolicy.Name !== 'no' && current.AutoRemove)
      conflict('Restart policy cannot be updated because AutoRemove is enabled for the container');
    merged.RestartPolicy = update.RestartPolicy;
  }
  return merged;
}
