import { describe, expect, it } from 'vitest';
import { blkioWeightToIoWeight, cpuMax, cpuSharesToWeight, memorySwapToV2 } from '../src/index';
import { limitToV2, pidsMax, checkPageSize } from '../src/convert';

describe('runc conversions', () => {
  it('maps cpu shares onto cpu.weight with the default on the default', () => {
    expect(cpuSharesToWeight(0)).toBe(0);
    expect(cpuSharesToWeight(2)).toBe(1);
    expect(cpuSharesToWeight(1024)).toBe(100);
    expect(cpuSharesToWeight(262144)).toBe(10000);
    expect(cpuSharesToWeight(1_000_000)).toBe(10000);
    // The edge cases opencontainers/cgroups pins for its quadratic fit.
    expect(cpuSharesToWeight(1)).toBe(1);
    expect(cpuSharesToWeight(3)).toBe(2);
    expect(cpuSharesToWeight(262143)).toBe(10000);
  });

  it('maps blkio weight [10..1000] onto io.weight [1..10000]', () => {
    expect(blkioWeightToIoWeight(0)).toBe(0);
    expect(blkioWeightToIoWeight(10)).toBe(1);
    expect(blkioWeightToIoWeight(500)).toBe(4950);
    expect(blkioWeightToIoWeight(1000)).toBe(10000);
  });

  it('turns memory+swap into swap alone, as cgroup v2 counts it', () => {
    expect(memorySwapToV2(0, -1)).toBe(-1);
    expect(memorySwapToV2(-1, 100)).toBe(-1);
    expect(memorySwapToV2(0, 100)).toBe(0);
    expect(memorySwapToV2(300, 100)).toBe(200);
    expect(memorySwapToV2(100, 100)).toBe(0);
    expect(() => memorySwapToV2(300, 0)).toThrow('unable to set swap limit without memory limit');
    expect(() => memorySwapToV2(50, 100)).toThrow('memory+swap limit should be >= memory limit');
    expect(() => memorySwapToV2(50, -5)).toThrow('invalid memory value: -5');
  });

  it('writes cpu.max as runc does', () => {
    expect(cpuMax(0, 0)).toBeUndefined();
    expect(cpuMax(50000, 100000)).toBe('50000 100000');
    expect(cpuMax(-1, 100000)).toBe('max 100000');
    expect(cpuMax(0, 250000)).toBe('max 250000');
    expect(cpuMax(20000)).toBe('20000');
  });

  it('writes limits, pids and page sizes as the kernel expects them', () => {
    expect(limitToV2(undefined)).toBeUndefined();
    expect(limitToV2(0)).toBeUndefined();
    expect(limitToV2(-1)).toBe('max');
    expect(limitToV2(4096)).toBe('4096');
    expect(pidsMax(0)).toBe('max');
    expect(pidsMax(-1)).toBe('max');
    expect(pidsMax(32)).toBe('32');
    expect(checkPageSize('2MB')).toBe('2MB');
    expect(() => checkPageSize('../x')).toThrow('invalid hugepage size');
  });
});
