// Stats conversion from containerd metrics, and docker update's validation, merge and
// resources, without a daemon.
import { describe, expect, it } from 'vitest';
import { specResources, updateResources, withDefaultSwap } from '../src/containers/resources';
import {
  parseNetDev,
  sampleFromMetrics,
  systemCpuUsage,
  type HostFigures,
} from '../src/containers/stats';
import type { HostConfig } from '../src/containers/record';
import {
  mergeUpdate,
  parseCpuset,
  validateResources,
  type UpdateConfig,
} from '../src/containers/update';

const HOST: HostFigures = { systemCpuUsage: 5e12, onlineCpus: 2, machineMemory: 8 * 2 ** 30 };
const READ = new Date('2024-01-02T03:04:05.000Z');

describe('stats samples', () => {
  it('converts cgroup v1 metrics into Docker fields, with the host memory as the open limit', () => {
    const sample = sampleFromMetrics(
      'io.containerd.cgroups.v1.Metrics',
      {
        pids: { current: '3', limit: '0' },
        cpu: {
          usage: { total: '2000', kernel: '500', user: '1500', per_cpu: ['1200', '800'] },
          throttling: { periods: '4', throttled_periods: '1', throttled_time: '99' },
        },
        memory: {
          cache: '4096',
          total_inactive_file: '1024',
          pg_fault: '7',
          hierarchical_swap_limit: '9223372036854771712',
          usage: { usage: '10240', max: '20480', limit: '9223372036854771712', failcnt: '0' },
        },
        blkio: {
          io_service_bytes_recursive: [{ op: 'Read', major: '8', minor: '0', value: '512' }],
          io_queued_recursive: [{ op: 'Total', major: '8', minor: '0', value: '1' }],
        },
      },
      HOST,
      READ,
    );
    expect(sample).toMatchObject({
      read: '2024-01-02T03:04:05.000Z',
      pids_stats: { current: 3 },
      cpu_stats: {
        cpu_usage: {
          total_usage: 2000,
          percpu_usage: [1200, 800],
          usage_in_kernelmode: 500,
          usage_in_usermode: 1500,
        },
        system_cpu_usage: 5e12,
        online_cpus: 2,
        throttling_data: { periods: 4, throttled_periods: 1, throttled_time: 99 },
      },
      memory_stats: {
        usage: 10240,
        max_usage: 20480,
        limit: 8 * 2 ** 30,
        stats: { cache: 4096, total_inactive_file: 1024, pgfault: 7 },
      },
      blkio_stats: {
        io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'Read', value: 512 }],
        io_queue_recursive: [{ major: 8, minor: 0, op: 'Total', value: 1 }],
        io_time_recursive: null,
      },
    });
    expect(sample.pids_stats).not.toHaveProperty('limit');
    expect(sample.memory_stats.stats).toHaveProperty('hierarchical_memsw_limit');
    expect(sample.memory_stats.stats).not.toHaveProperty('usage');
  });

  it('converts cgroup v2 metrics (microseconds, io entries) and keeps a set limit', () => {
    const sample = sampleFromMetrics(
      'io.containerd.cgroups.v2.Metrics',
      {
        pids: { current: '1', limit: '50' },
        cpu: { usage_usec: '3', user_usec: '2', system_usec: '1', nr_periods: '5' },
        memory: { usage: '100', usage_limit: '67108864', inactive_file: '10', swap_usage: '0' },
        io: {
          usage: [{ major: '8', minor: '16', rbytes: '4', wbytes: '6', rios: '1', wios: '2' }],
        },
      },
      HOST,
      READ,
    );
    expect(sample.cpu_stats.cpu_usage).toEqual({
      total_usage: 3000,
      usage_in_kernelmode: 1000,
      usage_in_usermode: 2000,
    });
    expect(sample.memory_stats).toEqual({
      usage: 100,
      limit: 67108864,
      stats: { inactive_file: 10 },
    });
    expect(sample.pids_stats).toEqual({ current: 1, limit: 50 });
    expect(sample.blkio_stats.io_service_bytes_recursive).toEqual([
      { major: 8, minor: 16, op: 'read', value: 4 },
      { major: 8, minor: 16, op: 'write', value: 6 },
    ]);
  });

  it('reads host CPU time and interface counters as dockerd does', () => {
    expect(systemCpuUsage('cpu  100 1 50 1000 4 2 3 7 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n')).toBe(
      1160 * 1e7,
    );
    expect(() => systemCpuUsage('intr 1\n')).toThrow(/no cpu line/);
    const netDev = [
      'Inter-|   Receive                            |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0',
      '  eth0:    2048      10    1    2    0     0          0         0     4096      20    3    4    0     0       0          0',
    ].join('\n');
    expect(parseNetDev(netDev)).toEqual({
      eth0: {
        rx_bytes: 2048,
        rx_packets: 10,
        rx_errors: 1,
        rx_dropped: 2,
        tx_bytes: 4096,
        tx_packets: 20,
        tx_errors: 3,
        tx_dropped: 4,
      },
    });
  });
});

describe('docker update', () => {
  it("refuses Docker's invalid requests with Docker's messages", () => {
    const refused =
      (update: object, forUpdate = true) =>
      () =>
        validateResources(update, forUpdate, 2);
    expect(refused({ Memory: 4 * 2 ** 20 })).toThrow('Minimum memory limit allowed is 6MB');
    expect(refused({ Memory: 64 * 2 ** 20, MemorySwap: 32 * 2 ** 20 })).toThrow(
      'Minimum memoryswap limit should be larger than memory limit, see usage',
    );
    expect(refused({ MemoryReservation: 2 ** 20 })).toThrow(
      'Minimum memory reservation allowed is 6MB',
    );
    expect(refused({ Memory: 8 * 2 ** 20, MemoryReservation: 16 * 2 ** 20 })).toThrow(
      'Minimum memory limit can not be less than memory reservation limit, see usage',
    );
    expect(refused({ NanoCpus: 5e8, CpuQuota: 50000 })).toThrow(
      'Conflicting options: Nano CPUs and CPU Quota cannot both be set',
    );
    expect(refused({ NanoCpus: 5e8, CpuPeriod: 50000 })).toThrow(
      'Conflicting options: Nano CPUs and CPU Period cannot both be set',
    );
    expect(refused({ NanoCpus: 3e9 })).toThrow(
      'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available',
    );
    expect(refused({ CpuPeriod: 500 })).toThrow('CPU cfs period can not be less than 1ms');
    expect(refused({ CpuQuota: 500 })).toThrow('CPU cfs quota can not be less than 1ms');
    expect(refused({ CpusetCpus: '0-x' })).toThrow(
      'Invalid value 0-x for cpuset cpus: invalid format: 0-x',
    );
    expect(refused({ CpusetCpus: '0-3' })).toThrow(
      'Requested CPUs are not available - requested 0-3, available: 0-1',
    );
    expect(refused({ BlkioWeight: 5 })).toThrow('Range of blkio weight is from 10 to 1000');
    expect(refused({ RestartPolicy: { Name: 'sometimes' } })).toThrow(
      "invalid restart policy: unknown policy 'sometimes'",
    );
    expect(refused({ RestartPolicy: { Name: 'always', MaximumRetryCount: 2 } })).toThrow(
      "maximum retry count can only be used with 'on-failure'",
    );
    expect(
      refused({ Memory: 64 * 2 ** 20, MemorySwap: -1, NanoCpus: 1e9, CpusetCpus: '0,1' }),
    ).not.toThrow();
    expect(refused({ MemorySwap: 2 ** 27 }, false)).toThrow(
      'You should always set the Memory limit when using Memoryswap limit, see usage',
    );
    expect(refused({ MemorySwap: 2 ** 27 })).not.toThrow();
    expect(parseCpuset('0-2,5')).toEqual([0, 1, 2, 5]);
  });

  it('merges only what the request sets, refusing conflicts with what the container has (409)', () => {
    const current = {
      Memory: 64 * 2 ** 20,
      MemorySwap: 128 * 2 ** 20,
      NanoCpus: 1e9,
      CpuShares: 512,
    };
    expect(mergeUpdate(current, { Memory: 96 * 2 ** 20, PidsLimit: 10 })).toEqual({
      ...current,
      Memory: 96 * 2 ** 20,
      PidsLimit: 10,
    });
    const conflict = (update: UpdateConfig, host: HostConfig = current) => {
      try {
        mergeUpdate(host, update);
      } catch (err) {
        return {
          status: (err as { statusCode: number }).statusCode,
          message: (err as Error).message,
        };
      }
      return undefined;
    };
    expect(conflict({ Memory: 256 * 2 ** 20 })).toEqual({
      status: 409,
      message:
        'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time',
    });
    expect(conflict({ CpuQuota: 20000 })?.message).toBe(
      'Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set',
    );
    expect(conflict({ NanoCpus: 1e9 }, { CpuPeriod: 100000 })?.message).toBe(
      'Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set',
    );
    expect(conflict({ RestartPolicy: { Name: 'always' } }, { AutoRemove: true })?.message).toBe(
      'Restart policy cannot be updated because AutoRemove is enabled for the container',
    );
    expect(
      mergeUpdate({}, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } }),
    ).toEqual({
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
    });
  });

  it('sends the task only what was asked, and keeps the full set in the spec', () => {
    expect(updateResources({ NanoCpus: 5e8, PidsLimit: 0 })).toEqual({
      cpu: { period: 100000, quota: 50000 },
      memory: {},
      pids: { limit: -1 },
    });
    expect(updateResources({ Memory: 2 ** 26, MemorySwap: 2 ** 27, BlkioWeight: 300 })).toEqual({
      cpu: { period: 0, quota: 0 },
      memory: { limit: 2 ** 26, swap: 2 ** 27 },
      blockIO: { weight: 300 },
    });
    expect(
      specResources({
        Memory: 2 ** 26,
        CpuQuota: 20000,
        CpuPeriod: 50000,
        CpusetCpus: '0',
        PidsLimit: 9,
      }),
    ).toEqual({
      memory: { limit: 2 ** 26 },
      cpu: { cpus: '0', period: 50000, quota: 20000 },
      pids: { limit: 9 },
    });
    expect(specResources({})).toEqual({});
    expect(withDefaultSwap({ Memory: 2 ** 26 })).toEqual({ Memory: 2 ** 26, MemorySwap: 2 ** 27 });
    expect(withDefaultSwap({ Memory: 2 ** 26, MemorySwap: -1 }).MemorySwap).toBe(-1);
  });
});
