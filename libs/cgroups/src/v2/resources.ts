// Writes an OCI linux.resources object to one cgroup v2 directory, in runc's order and with
// runc's conversions (pids, memory, io, cpu, cpuset, hugetlb, rdma, then the unified map).
import type { CgroupDir } from '../cgroup-dir';
import {
  blkioWeightToIoWeight,
  checkPageSize,
  cpuMax,
  cpuSharesToWeight,
  limitToV2,
  memorySwapToV2,
  pidsMax,
} from '../convert';
import { CgroupError, isCode } from '../errors';
import { parseValue } from '../parse';
import { applyRdma } from '../rdma';
import type {
  LinuxBlockIO,
  LinuxCpu,
  LinuxHugepageLimit,
  LinuxMemory,
  LinuxResources,
} from '../spec';

export async function applyV2(dir: CgroupDir, r: LinuxResources): Promise<void> {
  if (r.pids?.limit !== undefined) await dir.write('pids.max', pidsMax(r.pids.limit));
  if (r.memory) await applyMemory(dir, r.memory);
  if (r.blockIO) await applyIo(dir, r.blockIO);
  if (r.cpu) await applyCpu(dir, r.cpu);
  if (r.hugepageLimits) await applyHugetlb(dir, r.hugepageLimits);
  if (r.rdma) await applyRdma(dir, r.rdma);
  if (r.unified) await applyUnified(dir, r.unified);
}

async function applyMemory(dir: CgroupDir, m: LinuxMemory): Promise<void> {
  const limit = m.limit ?? 0;
  const swapTotal = m.swap ?? 0;
  if (limit === 0 && swapTotal === 0 && (m.reservation ?? 0) === 0) return;
  if (m.checkBeforeUpdate && limit > 0) {
    const usage = parseValue(await dir.read('memory.current'), dir.file('memory.current'));
    if (limit <= usage) {
      throw new CgroupError(`rejecting memory limit ${limit} below the current usage ${usage}`);
    }
  }
  const swap = memorySwapToV2(swapTotal, limit);
  // memory == swap total means "no swap": the conversion gives 0, which here must be written.
  const swapValue = swap === 0 && swapTotal > 0 ? '0' : limitToV2(swap);
  if (swapValue !== undefined) {
    try {
      await dir.write('memory.swap.max', swapValue);
    } catch (err) {
      // Without swap accounting there is nothing to leave unlimited or to disable.
      if (!(isCode(err, 'ENOENT') && (swapValue === 'max' || swapValue === '0'))) throw err;
    }
  }
  const max = limitToV2(limit);
  if (max !== undefined) await dir.write('memory.max', max);
  const low = limitToV2(m.reservation);
  if (low !== undefined) await dir.write('memory.low', low);
}

async function applyIo(dir: CgroupDir, io: LinuxBlockIO): Promise<void> {
  const weight = io.weight ?? 0;
  const wantsWeight = weight !== 0 || (io.weightDevice?.length ?? 0) > 0;
  // BFQ takes blkio weights unconverted and per device; without it only io.weight exists.
  const bfq = wantsWeight && (await dir.has('io.bfq.weight'));
  if (weight !== 0) {
    if (bfq) await dir.write('io.bfq.weight', String(weight));
    else await dir.write('io.weight', String(blkioWeightToIoWeight(weight)));
  }
  if (bfq) {
    for (const d of io.weightDevice ?? []) {
      if (d.weight !== undefined) {
        await dir.write('io.bfq.weight', `${d.major}:${d.minor} ${d.weight}`);
      }
    }
  }
  const throttles = [
    ['rbps', io.throttleReadBpsDevice],
    ['wbps', io.throttleWriteBpsDevice],
    ['riops', io.throttleReadIOPSDevice],
    ['wiops', io.throttleWriteIOPSDevice],
  ] as const;
  for (const [key, devices] of throttles) {
    for (const d of devices ?? []) {
      await dir.write('io.max', `${d.major}:${d.minor} ${key}=${d.rate}`);
    }
  }
}

async function applyCpu(dir: CgroupDir, cpu: LinuxCpu): Promise<void> {
  if ((cpu.realtimeRuntime ?? 0) !== 0 || (cpu.realtimePeriod ?? 0) !== 0) {
    throw new CgroupError(
      'cpu.realtimeRuntime and cpu.realtimePeriod are not supported on cgroup v2',
    );
  }
  const weight = cpuSharesToWeight(cpu.shares ?? 0);
  if (weight !== 0) await dir.write('cpu.weight', String(weight));
  if (cpu.idle !== undefined) await dir.write('cpu.idle', String(cpu.idle));
  const max = cpuMax(cpu.quota, cpu.period);
  if (max !== undefined) await dir.write('cpu.max', max);
  // The burst is bounded by the quota, so it goes after cpu.max.
  if (cpu.burst !== undefined) await dir.write('cpu.max.burst', String(cpu.burst));
  if (cpu.cpus) await dir.write('cpuset.cpus', cpu.cpus);
  if (cpu.mems) await dir.write('cpuset.mems', cpu.mems);
}

async function applyHugetlb(dir: CgroupDir, limits: LinuxHugepageLimit[]): Promise<void> {
  for (const l of limits) {
    const size = checkPageSize(l.pageSize);
    await dir.write(`hugetlb.${size}.max`, String(l.limit));
    // Reservation accounting (5.7+) is limited alike when the kernel has it.
    if (await dir.has(`hugetlb.${size}.rsvd.max`)) {
      await dir.write(`hugetlb.${size}.rsvd.max`, String(l.limit));
    }
  }
}

async function applyUnified(dir: CgroupDir, unified: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(unified)) {
    // Keys name files of this cgroup only: never a path into another one.
    if (!/^[a-z_]+\.[A-Za-z0-9_.]+$/.test(key) || key.includes('..')) {
      throw new CgroupError(`unified resource ${JSON.stringify(key)} must be CONTROLLER.PARAMETER`);
    }
    try {
      await dir.write(key, value);
    } catch (err) {
      const controller = key.split('.')[0] ?? '';
      if (isCode(err, 'ENOENT') && controller !== 'cgroup') {
        const controllers = (await dir.read('cgroup.controllers')).split(/\s+/);
        if (!controllers.includes(controller)) {
          throw new CgroupError(
            `unified resource ${JSON.stringify(key)} can't be set: controller ${controller} not available`,
            'ENOENT',
            dir.file(key),
          );
        }
      }
      throw err;
    }
  }
}
