// @berth/cgroups' v2 stats become the io.containerd.cgroups.v2.Metrics message field for field.
import { MAX_UINT64, type V2Metrics } from '@berth/cgroups';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../src/proto';
import { metricsV2 } from '../src/server/stats';

describe('v2 metrics', () => {
  it('encodes every group of the cgroup stats under the proto field names', () => {
    const stats = {
      version: 2,
      pids: { current: 3, limit: 50 },
      cpu: {
        usageUsec: 1200,
        userUsec: 1000,
        systemUsec: 200,
        nrPeriods: 4,
        nrThrottled: 2,
        throttledUsec: 77,
      },
      memory: { anon: 4096, kernelStack: 16384, usage: 8192, usageLimit: MAX_UINT64 },
      io: { usage: [{ major: 8, minor: 0, rbytes: 1, wbytes: 2, rios: 3, wios: 4 }] },
      hugetlb: [{ current: 0, max: 0, pagesize: '2MB' }],
      memoryEvents: { low: 0, high: 0, max: 5, oom: 1, oomKill: 1 },
    } as unknown as V2Metrics;
    const name = 'io.containerd.cgroups.v2.Metrics';
    const decoded = decode<Record<string, Record<string, unknown>>>(
      name,
      encode(name, metricsV2(stats)),
    );
    expect(decoded.pids).toEqual({ current: '3', limit: '50' });
    expect(decoded.cpu).toEqual({
      usage_usec: '1200',
      user_usec: '1000',
      system_usec: '200',
      nr_periods: '4',
      nr_throttled: '2',
      throttled_usec: '77',
    });
    expect(decoded.memory).toMatchObject({
      anon: '4096',
      kernel_stack: '16384',
      usage: '8192',
      usage_limit: '18446744073709551615',
    });
    expect(decoded.io).toEqual({
      usage: [{ major: '8', minor: '0', rbytes: '1', wbytes: '2', rios: '3', wios: '4' }],
    });
    expect(decoded.memory_events).toEqual({
      low: '0',
      high: '0',
      max: '5',
      oom: '1',
      oom_kill: '1',
    });
  });
});
