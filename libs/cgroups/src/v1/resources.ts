// Writes an OCI linux.resources object to the per-controller v1 directories, with runc's order
// and values (v1 takes the spec's numbers as they are, -1 meaning unlimited).
import type { CgroupDir } from '../cgroup-dir';
import { checkPageSize, pidsMax } from '../convert';
import { CgroupError, isCode } from '../errors';
import type {
  LinuxBlockIO,
  LinuxCpu,
  LinuxHugepageLimit,
  LinuxMemory,
  LinuxNetwork,
  LinuxResources,
} from '../spec';
import { applyRdma } from '../rdma';

/** The directory of one v1 controller, or undefined when that controller is not mounted. */
export type ControllerDirs = (controller: string) => CgroupDir | undefined;

export async function applyV1(dirs: ControllerDirs, r: LinuxResources): Promise<void> {
  if (r.unified && Object.keys(r.unified).length > 0) {
    throw new CgroupError('unified resources can only be set on cgroup v2');
  }
  const need = (controller: string): CgroupDir => {
    const dir = dirs(controller);
    if (!dir) throw new CgroupError(`the ${controller} controller is not mounted on this host`);
    return dir;
  };
  if (r.pids?.limit !== undefined) await need('pids').write('pids.max', pidsMax(r.pids.limit));
  if (r.memory && isMemorySet(r.memory)) await applyMemory(need('memory'), r.memory);
  if (r.blockIO) await applyBlkio(need('blkio'), r.blockIO);
  if (r.cpu && isCpuSet(r.cpu)) await applyCpu(need('cpu'), r.cpu);
  if (r.cpu?.cpus || r.cpu?.mems) await applyCpuset(need('cpuset'), r.cpu);
  if (r.hugepageLimits?.length) await applyHugetlb(need('hugetlb'), r.hugepageLimits);
  if (r.network?.classID !== undefined) {
    await need('net_cls').write('net_cls.classid', String(r.network.classID));
  }
  if (r.network?.priorities?.length) await applyNetPrio(need('net_prio'), r.network);
  if (r.rdma && Object.keys(r.rdma).length > 0) await applyRdma(need('rdma'), r.rdma);
}

const isMemorySet = (m: LinuxMemory) =>
  Boolean(
    m.limit ||
    m.swap ||
    m.reservation ||
    m.kernelTCP ||
    m.disableOOMKiller ||
    m.swappiness !== undefined,
  );

const isCpuSet = (c: LinuxCpu) =>
  Boolean(
    c.shares ||
    c.quota ||
    c.period ||
    c.burst !== undefined ||
    c.realtimePeriod ||
    c.realtimeRuntime ||
    c.idle !== undefined,
  );

async function applyMemory(dir: CgroupDir, m: LinuxMemory): Promise<void> {
  const limit = m.limit ?? 0;
  let swap = m.swap ?? 0;
  // Unlimited memory with swap unset lifts the memsw limit too (when swap is accounted).
  if (limit === -1 && swap === 0 && (await dir.has('memory.memsw.limit_in_bytes'))) swap = -1;
  if (m.checkBeforeUpdate && limit > 0) {
    const usage = Number(await dir.read('memory.usage_in_bytes'));
    if (limit <= usage) {
      throw new CgroupError(`rejecting memory limit ${limit} below the current usage ${usage}`);
    }
  }
  const writeLimit = () => dir.write('memory.limit_in_bytes', String(limit));
  const writeSwap = () => dir.write('memory.memsw.limit_in_bytes', String(swap));
  if (limit !== 0 && swap !== 0) {
    // The kernel keeps memory <= memsw at every step, so the order depends on the direction.
    const current = Number(await dir.read('memory.limit_in_bytes'));
    if (swap === -1 || current < swap) {
      await writeSwap();
      await writeLimit();
    } else {
      await writeLimit();
      await writeSwap();
    }
  } else {
    if (limit !== 0) await writeLimit();
    if (swap !== 0) await writeSwap();
  }
  if (m.reservation) await dir.write('memory.soft_limit_in_bytes', String(m.reservation));
  if (m.kernelTCP) await dir.write('memory.kmem.tcp.limit_in_bytes', String(m.kernelTCP));
  if (m.disableOOMKiller) await dir.write('memory.oom_control', '1');
  if (m.swappiness !== undefined) {
    if (!Number.isInteger(m.swappiness) || m.swappiness < 0 || m.swappiness > 100) {
      throw new CgroupError(
        `invalid value:${m.swappiness}. valid memory swappiness range is 0-100`,
        'EINVAL',
        dir.file('memory.swappiness'),
      );
    }
    await dir.write('memory.swappiness', String(m.swappiness));
  }
}

async function applyCpu(dir: CgroupDir, cpu: LinuxCpu): Promise<void> {
  if (cpu.shares) {
    await dir.write('cpu.shares', String(cpu.shares));
    // The kernel clamps shares silently; read back so an out-of-range value is an error.
    const actual = Number(await dir.read('cpu.shares'));
    if (cpu.shares > actual) throw new CgroupError(`the maximum allowed cpu-shares is ${actual}`);
    if (cpu.shares < actual) throw new CgroupError(`the minimum allowed cpu-shares is ${actual}`);
  }
  const quota = cpu.quota ?? 0;
  if (cpu.period) {
    try {
      await dir.write('cpu.cfs_period_us', String(cpu.period));
    } catch (err) {
      // A shorter period can break the current quota (EINVAL): set the new quota first.
      if (!isCode(err, 'EINVAL') || quota === 0) throw err;
      await dir.write('cpu.cfs_quota_us', String(quota));
      await dir.write('cpu.cfs_period_us', String(cpu.period));
    }
  }
  if (quota !== 0) await dir.write('cpu.cfs_quota_us', String(quota));
  if (cpu.burst !== undefined) await dir.write('cpu.cfs_burst_us', String(cpu.burst));
  if (cpu.realtimePeriod) await dir.write('cpu.rt_period_us', String(cpu.realtimePeriod));
  if (cpu.realtimeRuntime) await dir.write('cpu.rt_runtime_us', String(cpu.realtimeRuntime));
  if (cpu.idle !== undefined) await dir.write('cpu.idle', String(cpu.idle));
}

async function applyCpuset(dir: CgroupDir, cpu: LinuxCpu): Promise<void> {
  if (cpu.cpus) await dir.write('cpuset.cpus', cpu.cpus);
  if (cpu.mems) await dir.write('cpuset.mems', cpu.mems);
}

async function applyBlkio(dir: CgroupDir, io: LinuxBlockIO): Promise<void> {
  // Kernels with BFQ but without CFQ only have blkio.bfq.weight.
  const weightFile = (await dir.has('blkio.weight')) ? 'blkio.weight' : 'blkio.bfq.weight';
  if (io.weight) await dir.write(weightFile, String(io.weight));
  if (io.leafWeight) await dir.write('blkio.leaf_weight', String(io.leafWeight));
  for (const d of io.weightDevice ?? []) {
    if (d.weight) await dir.write(`${weightFile}_device`, `${d.major}:${d.minor} ${d.weight}`);
    if (d.leafWeight) {
      await dir.write('blkio.leaf_weight_device', `${d.major}:${d.minor} ${d.leafWeight}`);
    }
  }
  const throttles = [
    ['read_bps_device', io.throttleReadBpsDevice],
    ['write_bps_device', io.throttleWriteBpsDevice],
    ['read_iops_device', io.throttleReadIOPSDevice],
    ['write_iops_device', io.throttleWriteIOPSDevice],
  ] as const;
  for (const [file, devices] of throttles) {
    for (const d of devices ?? []) {
      await dir.write(`blkio.throttle.${file}`, `${d.major}:${d.minor} ${d.rate}`);
    }
  }
}

async function applyHugetlb(dir: CgroupDir, limits: LinuxHugepageLimit[]): Promise<void> {
  for (const l of limits) {
    const size = checkPageSize(l.pageSize);
    await dir.write(`hugetlb.${size}.limit_in_bytes`, String(l.limit));
    if (await dir.has(`hugetlb.${size}.rsvd.limit_in_bytes`)) {
      await dir.write(`hugetlb.${size}.rsvd.limit_in_bytes`, String(l.limit));
    }
  }
}

async function applyNetPrio(dir: CgroupDir, network: LinuxNetwork): Promise<void> {
  for (const p of network.priorities ?? []) {
    await dir.write('net_prio.ifpriomap', `${p.name} ${p.priority}`);
  }
}
