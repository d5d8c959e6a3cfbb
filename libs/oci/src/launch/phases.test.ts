import { describe, expect, it } from 'vitest';
import { launchPhases, launchSpans } from './launcher';

describe('launchPhases', () => {
  it('turns consecutive stamps into phases named by the stamp that ends each', () => {
    const phases = launchPhases([
      { phase: 'begin', ns: 100n },
      { phase: 'spawn', ns: 150n },
      { phase: 'mounts', ns: 170n },
      { phase: 'devices', ns: 171n },
      { phase: 'mounts', ns: 180n },
    ]);
    expect(phases).toEqual([
      { phase: 'spawn', startNs: 100n, endNs: 150n },
      { phase: 'mounts', startNs: 150n, endNs: 170n },
      { phase: 'devices', startNs: 170n, endNs: 171n },
      { phase: 'mounts', startNs: 171n, endNs: 180n },
    ]);
  });

  it('never yields a negative interval when clocks disagree', () => {
    const [phase] = launchPhases([
      { phase: 'begin', ns: 200n },
      { phase: 'spawn', ns: 190n },
    ]);
    expect(phase).toEqual({ phase: 'spawn', startNs: 200n, endNs: 200n });
  });

  it('has no phase for a lone or missing stamp', () => {
    expect(launchPhases([])).toEqual([]);
    expect(launchPhases([{ phase: 'begin', ns: 1n }])).toEqual([]);
  });
});

describe('launchSpans', () => {
  it('names each phase runtime.launch.<phase> and gives it the command attributes', () => {
    const attributes = { 'container.id': 'c1' };
    const stamps = [
      { phase: 'begin', ns: 100n },
      { phase: 'spawn', ns: 150n },
    ];
    expect(launchSpans(stamps, attributes)).toEqual([
      { name: 'runtime.launch.spawn', startNs: 100n, endNs: 150n, attributes },
    ]);
  });
});
