import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSpec } from '../spec/defaults';
import { checkId, ociState, processStartTime, StateStore, type ContainerRecord } from './store';

describe('StateStore', () => {
  let root: string;
  let store: StateStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'berth-state-'));
    store = new StateStore(join(root, 'state'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const rec = (pid: number, startTime: string): ContainerRecord => ({
    id: 'c1',
    pid,
    startTime,
    bundle: '/b',
    rootfs: '/b/rootfs',
    created: '2026-01-01T00:00:00.000Z',
    owner: '',
    cgroupsPath: 'c1',
    spec: { ...defaultSpec(), annotations: { a: 'b' } },
  });

  it('reserves an id once, saves, loads and lists', async () => {
    await store.reserve('c1');
    await expect(store.reserve('c1')).rejects.toThrow('container with id exists: c1');
    await store.save(rec(1, 'x'));
    expect((await store.load('c1')).pid).toBe(1);
    expect(await store.list()).toEqual(['c1']);
    await store.remove('c1');
    await expect(store.load('c1')).rejects.toThrow('container "c1" does not exist');
  });

  it('rejects ids that could escape the root', () => {
    for (const id of ['..', '../x', 'a/b', '', 'a b'])
      expect(() => checkId(id)).toThrow(/invalid id/);
    expect(() => checkId('abc-1_2.3+4')).not.toThrow();
  });

  it('derives status from the process and the exec fifo; stopped for a reused pid', async () => {
    const self = processStartTime(process.pid)!;
    await store.reserve('c1');
    expect(await store.status(rec(process.pid, self), false)).toBe('running');
    expect(await store.status(rec(process.pid, self), true)).toBe('paused');
    expect(await store.status(rec(process.pid, 'other'), false)).toBe('stopped');
    const state = ociState(rec(process.pid, 'other'), 'stopped');
    expect(state).toEqual({
      ociVersion: '1.2.0',
      id: 'c1',
      pid: 0,
      status: 'stopped',
      bundle: '/b',
      rootfs: '/b/rootfs',
      created: '2026-01-01T00:00:00.000Z',
      owner: '',
      annotations: { a: 'b' },
    });
  });
});
