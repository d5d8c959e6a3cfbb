import { describe, expect, it } from 'vitest';
import type { V1Metrics, V2Metrics } from '@berth/cgroups';
import { runcStats } from './events-stats';

const entry = (usage: number) => ({ limit: 1000, usage, max: usage, failcnt: 0 });

describe("events --stats in runc's shape", () => {
  it('renames v1 metrics as libcontainer does and keeps memory.stat names under raw', () => {
    const v1 = {
      version: 1,
      hugetlb: [{ pagesize: '2MB', usage: 0, max: 0, failcnt: 0 }],
      pids: { current: 2, limit: 50 },
      cpu: {
        usage: { total: 9, kernel: 4, user: 5, perCpu: [6, 3] },
        throttling: { periods: 1, throttledPeriods: 0, throttledTime: 0 },
      },
      memory: {
        cache: 7,
        rss: 8,
        pgPgIn: 11,
        totalPgMajFault: 12,
        hierarchicalSwapLimit: 13,
        usage: entry(20),
        swap: entry(21),
        kernel: entry(22),
        kernelTcp: entry(23),
      },
      blkio: {
        ioServiceBytesRecursive: [{ op: 'Read', device: '', major: 8, minor: 0, value: 4096 }],
      },
    } as unknown as V1Metrics;
    expect(runcStats(v1)).toEqual({
      cpu: {
        usage: { total: 9, percpu: [6, 3], kernel: 4, user: 5 },
        throttling: { periods: 1, throttledPeriods: 0, throttledTime: 0 },
      },
      memory: {
        cache: 7,
        usage: entry(20),
        swap: entry(21),
        kernel: entry(22),
        kernelTCP: entry(23),
        raw: {
          cache: 7,
          rss: 8,
          pgpgin: 11,
          total_pgmajfault: 12,
          hierarchical_memsw_limit: 13,
        },
      },
      pids: { current: 2, limit: 50 },
      blkio: { io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'Read', value: 4096 }] },
      hugetlb: { '2MB': { usage: 0, max: 0, failcnt: 0 } },
    });
  });

  it('turns v2 microseconds into nanoseconds and memory.current/max into the usage entry', () => {
    const v2 = {
      version: 2,
      hugetlb: [],
      pids: { current: 1, limit: 0 },
      cpu: {
        usageUsec: 3,
        userUsec: 2,
        systemUsec: 1,
        nrPeriods: 0,
        nrThrottled: 0,
        throttledUsec: 0,
      },
      memory: { anon: 5, file: 6, usage: 100, usageLimit: 200, swapUsage: 0, swapLimit: 200 },
    } as unknown as V2Metrics;
    const out = runcStats(v2);
    expect(out.cpu.usage).toEqual({ total: 3000, kernel: 1000, user: 2000 });
    expect(out.memory).toMatchObject({
      cache: 6,
      usage: { usage: 100, limit: 200 },
      swap: { usage: 0, limit: 200 },
      raw: { anon: 5, file: 6 },
    });
  });
});
