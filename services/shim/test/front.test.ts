// The native front (native/front.c) that containerd runs as containerd-shim-berth-v1: the
// socket it derives must be the one the Node side serves, its `delete` must print the
// recorded DeleteResponse as is, and everything else must reach the Node entry unchanged.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDeleteResponse } from '../src/delete-response';
import { groupAddress } from '../src/paths';
import { decode } from '../src/proto';
import { buildShim } from './helpers/harness';

describe('native front', { tags: ['kernel'] }, () => {
  let front: string;
  let dir: string;
  const listeners: Server[] = [];

  beforeAll(() => {
    front = buildShim();
    dir = mkdtempSync(join(tmpdir(), 'berth-shim-front-'));
  });

  afterAll(async () => {
    await Promise.all(listeners.map((l) => new Promise((resolve) => l.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], cwd = dir) =>
    spawnSync(front, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, BERTH_SHIM_STATE: dir },
    });

  const bundleWith = (name: string, annotations?: Record<string, string>) => {
    const bundle = join(dir, name);
    mkdirSync(bundle);
    writeFileSync(
      join(bundle, 'config.json'),
      JSON.stringify({ ociVersion: '1.0.2', annotations }),
    );
    return bundle;
  };

  /** A stand-in group server listening where the Node side says the group's socket is. */
  const listenAt = async (address: string) => {
    const path = address.replace(/^unix:\/\//, '');
    mkdirSync(join(path, '..'), { recursive: true });
    const server = createServer((socket) => socket.destroy());
    listeners.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
  };

  it('start finds the group server at the socket the Node side derives, per group', async () => {
    const address = join(dir, 'containerd.sock');
    const cases = [
      { bundle: bundleWith('plain'), group: 'ns1' },
      {
        bundle: bundleWith('pod', { 'io.kubernetes.cri.sandbox-id': 'sb1', other: 'x' }),
        group: 'io.kubernetes.cri.sandbox-id=sb1',
      },
      {
        bundle: bundleWith('named', {
          'io.kubernetes.cri.sandbox-id': 'sb1',
          'io.berth.shim.group': 'g/..\u00e9',
        }),
        group: 'io.berth.shim.group=g/..\u00e9',
      },
    ];
    for (const { bundle, group } of cases) {
      const expected = groupAddress({ address, namespace: 'ns1', group });
      await listenAt(expected);
      const flags = ['-namespace', 'ns1', '-address', address, '-publish-binary', 'x'];
      const result = run([...flags, '-id', 'c1', 'start'], bundle);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(expected);
      expect(readFileSync(join(bundle, 'address'), 'utf8')).toBe(expected);
    }
  });

  it('delete prints the recorded DeleteResponse byte for byte, for -bundle or the cwd', async () => {
    const bundle = bundleWith('deleted');
    const exitedAt = new Date('2026-11-23T12:00:00.250Z');
    await recordDeleteResponse(bundle, { pid: 321, exitStatus: 3, exitedAt });
    const recorded = readFileSync(join(bundle, 'berth-shim-delete.pb'));
    for (const args of [
      ['-id', 'c1', 'delete'],
      ['-id', 'c1', '-bundle', bundle, 'delete'],
    ]) {
      const result = spawnSync(front, args, { cwd: args.includes(bundle) ? dir : bundle });
      expect(result.status).toBe(0);
      expect(Buffer.compare(result.stdout, recorded)).toBe(0);
    }
    expect(decode('containerd.task.v2.DeleteResponse', recorded)).toEqual({
      pid: 321,
      exit_status: 3,
      exited_at: { seconds: String(Math.floor(exitedAt.getTime() / 1000)), nanos: 250_000_000 },
    });
  });

  it('hands a delete without a record, -v and unknown flags to the Node entry', () => {
    const bundle = bundleWith('gone');
    const namespace = `berth-front-${process.pid}`;
    const cleanup = spawnSync(front, ['-namespace', namespace, '-id', 'gone', 'delete'], {
      cwd: bundle,
      env: { ...process.env, BERTH_SHIM_STATE: dir },
    });
    expect(cleanup.status).toBe(0);
    expect(decode('containerd.task.v2.DeleteResponse', cleanup.stdout)).toMatchObject({
      pid: 0,
      exit_status: 137,
    });
    rmSync(join('/run/containerd/runc', namespace), { recursive: true, force: true });
    expect(run(['-v'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/Version/) });
    expect(run(['-bogus', 'start'])).toMatchObject({
      status: 1,
      stderr: 'flag provided but not defined: -bogus\n',
    });
  });
});
