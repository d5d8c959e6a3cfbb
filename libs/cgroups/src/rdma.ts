import type { CgroupDir } from './cgroup-dir';
import type { LinuxRdma } from './spec';

/** rdma.max lines, "<device> hca_handle=N hca_object=M": the same file on v1 and v2. */
export async function applyRdma(dir: CgroupDir, rdma: Record<string, LinuxRdma>): Promise<void> {
  for (const [device, limit] of Object.entries(rdma)) {
    const parts = [device];
    if (limit.hcaHandles !== undefined) parts.push(`hca_handle=${limit.hcaHandles}`);
    if (limit.hcaObjects !== undefined) parts.push(`hca_object=${limit.hcaObjects}`);
    if (parts.length > 1) await dir.write('rdma.max', parts.join(' '));
  }
}
