import { describe, expect, it } from 'vitest';
import { bundlePaths } from './bundle';
import { binaryName } from './shim-binary';

describe('runtime naming', () => {
  it('maps runtime names to shim binaries as upstream BinaryName', () => {
    expect(binaryName('io.containerd.runc.v2')).toBe('containerd-shim-runc-v2');
    expect(binaryName('io.containerd.berth.v1')).toBe('containerd-shim-berth-v1');
    expect(() => binaryName('runc')).toThrow(/invalid runtime name/);
    expect(() => binaryName('io.containerd..v2')).toThrow(/invalid runtime name/);
  });

  it('places bundles under state and work under root, refusing escaping ids', () => {
    expect(bundlePaths('/s', '/r', 'default', 't1')).toEqual({
      path: '/s/io.containerd.runtime.v2.task/default/t1',
      work: '/r/io.containerd.runtime.v2.task/default/t1',
      trash: ['/s/io.containerd.runtime.v2.task.trash', '/r/io.containerd.runtime.v2.task.trash'],
    });
    for (const bad of ['..', '../x', 'a/b', '', '.hidden'])
      expect(() => bundlePaths('/s', '/r', 'default', bad)).toThrow(/invalid task id/);
  });
});
