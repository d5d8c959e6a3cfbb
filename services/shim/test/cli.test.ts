// The pieces of `start`/`delete` that need no kernel: flags, groups, addresses, delete output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeDeleteResponse } from '../src/delete-response';
import { parseFlags } from '../src/flags';
import { decode } from '../src/proto';
import { groupOf } from '../src/group';
import { groupAddress } from '../src/paths';

describe('shim flags', () => {
  it('parses the command line containerd passes to start', () => {
    const flags = parseFlags([
      '-namespace',
      'k8s.io',
      '-address',
      '/run/containerd/containerd.sock',
      '-publish-binary',
      '/usr/bin/containerd',
      '-id',
      'abc',
      '-debug',
      'start',
    ]);
    expect(flags).toMatchObject({
      namespace: 'k8s.io',
      address: '/run/containerd/containerd.sock',
      publishBinary: '/usr/bin/containerd',
      id: 'abc',
      debug: true,
      action: 'start',
    });
  });

  it('accepts -name=value and --name as Go does, and rejects unknown flags', () => {
    expect(parseFlags(['--id=x', '-bundle=/b', 'delete'])).toMatchObject({
      id: 'x',
      bundle: '/b',
      action: 'delete',
    });
    expect(parseFlags(['-v']).version).toBe(true);
    expect(() => parseFlags(['-bogus', 'start'])).toThrow('flag provided but not defined: -bogus');
    expect(() => parseFlags(['-id'])).toThrow('flag needs an argument: -id');
  });
});

describe('shim groups', () => {
  const bundleWith = (annotations?: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-shim-group-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ annotations }));
    return dir;
  };

  it('groups by pod sandbox or berth group annotation, else by namespace', async () => {
    const plain = bundleWith();
    const pod = bundleWith({ 'io.kubernetes.cri.sandbox-id': 'sb1' });
    const named = bundleWith({ 'io.berth.shim.group': 'g', 'io.kubernetes.cri.sandbox-id': 'sb1' });
    try {
      expect(await groupOf(plain, 'ns')).toBe('ns');
      expect(await groupOf(pod, 'ns')).toBe('io.kubernetes.cri.sandbox-id=sb1');
      expect(await groupOf(named, 'ns')).toBe('io.berth.shim.group=g');
      expect(await groupOf(join(plain, 'missing'), 'ns')).toBe('ns');
    } finally {
      for (const dir of [plain, pod, named]) rmSync(dir, { recursive: true });
    }
  });

  it('derives one socket per containerd, namespace and group, as upstream names shim sockets', () => {
    const key = {
      address: '/run/containerd/containerd.sock',
      namespace: 'default',
      group: 'default',
    };
    const address = groupAddress(key);
    expect(address).toMatch(/^unix:\/\/\/run\/containerd\/s\/[0-9a-f]{64}$/);
    expect(groupAddress({ ...key })).toBe(address);
    expect(groupAddress({ ...key, namespace: 'other' })).not.toBe(address);
    expect(groupAddress({ ...key, group: 'pod' })).not.toBe(address);
  });
});

describe('delete output', () => {
  it('is a containerd.task.v2.DeleteResponse', () => {
    const exitedAt = new Date('2026-11-23T11:22:33.456Z');
    const bytes = encodeDeleteResponse({ pid: 4242, exitStatus: 137, exitedAt });
    expect(decode('containerd.task.v2.DeleteResponse', bytes)).toEqual({
      pid: 4242,
      exit_status: 137,
      exited_at: { seconds: String(Math.floor(exitedAt.getTime() / 1000)), nanos: 456_000_000 },
    });
  });
});
