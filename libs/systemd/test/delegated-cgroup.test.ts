import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enterDelegatedLeaf, unifiedPath } from '../src/index';

// A directory laid out like cgroupfs: the files the kernel would offer for the unit's cgroup.
describe('enterDelegatedLeaf', () => {
  let root: string;
  const unit = '/system.slice/berth-containerd.service';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-cgroup-'));
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu io memory pids\n');
    mkdirSync(join(root, unit), { recursive: true });
    writeFileSync(join(root, unit, 'cgroup.controllers'), 'cpu io memory pids\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function procCgroup(path: string): string {
    const file = join(root, 'proc-self-cgroup');
    writeFileSync(file, `0::${path}\n`);
    return file;
  }

  it('moves the daemon into a leaf and leaves the unit able to take a restarted daemon', () => {
    const result = enterDelegatedLeaf({ cgroupRoot: root, procCgroup: procCgroup(unit), pid: 76 });
    expect(result).toEqual({ unit, leaf: `${unit}/daemon`, controllers: [] });
    expect(readFileSync(join(root, unit, 'daemon', 'cgroup.procs'), 'utf8')).toBe('76\n');
    expect(existsSync(join(root, unit, 'cgroup.subtree_control'))).toBe(false);
  });

  it('on request, hands every controller to the unit children', () => {
    const result = enterDelegatedLeaf({
      cgroupRoot: root,
      procCgroup: procCgroup(unit),
      pid: 77,
      enableControllers: true,
    });
    expect(result).toEqual({
      unit,
      leaf: `${unit}/daemon`,
      controllers: ['cpu', 'io', 'memory', 'pids'],
    });
    expect(readFileSync(join(root, unit, 'daemon', 'cgroup.procs'), 'utf8')).toBe('77\n');
    expect(readFileSync(join(root, unit, 'cgroup.subtree_control'), 'utf8')).toBe(
      '+cpu +io +memory +pids',
    );
  });

  it('after a restart inside the leaf, keeps the same unit cgroup', () => {
    const result = enterDelegatedLeaf({
      cgroupRoot: root,
      procCgroup: procCgroup(`${unit}/daemon`),
      pid: 78,
    });
    expect(result?.unit).toBe(unit);
    expect(readFileSync(join(root, unit, 'daemon', 'cgroup.procs'), 'utf8')).toBe('78\n');
  });

  it('does nothing on a host without a unified hierarchy', () => {
    rmSync(join(root, 'cgroup.controllers'));
    expect(enterDelegatedLeaf({ cgroupRoot: root, procCgroup: procCgroup(unit) })).toBeUndefined();
  });

  it('reads the v2 line of a hybrid /proc/self/cgroup', () => {
    expect(unifiedPath('12:pids:/x\n1:name=systemd:/y\n0::/system.slice/a.service\n')).toBe(
      '/system.slice/a.service',
    );
    expect(unifiedPath('12:pids:/x\n')).toBeUndefined();
  });
});
