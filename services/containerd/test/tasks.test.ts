import { ensureTestImages, type TestImage } from '@berth/test-images';
import { existsSync } from 'node:fs';
import { readdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctr, startDaemon, tempDir } from './helpers';

const NS = 'tasktest';
const RUNTIMES = ['io.containerd.runc.v2', 'io.containerd.berth.v1'];

// ctr's default cgroupsPath is /<ns>/<id>; runc on the hybrid host puts it under every
// mounted hierarchy, so the namespace's directories are removed after the run.
async function removeNamespaceCgroups(): Promise<void> {
  for (const hierarchy of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
    const dir = join('/sys/fs/cgroup', hierarchy, NS);
    if (!existsSync(dir)) continue;
    for (const child of await readdir(dir, { withFileTypes: true }))
      if (child.isDirectory()) await rmdir(join(dir, child.name)).catch(() => {});
    await rmdir(dir).catch(() => {});
  }
}

/** The pid of the runc-v2 shim serving `id` for the daemon at `address` (from /proc). */
async function shimPidOf(address: string, id: string): Promise<number> {
  for (const pid of await readdir('/proc')) {
    const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (args.includes(`-address\0${address}\0`) && args.includes(`-id\0${id}\0`))
      return Number(pid);
  }
  throw new Error(`no shim for ${id}`);
}

// Upstream ctr runs containers through berth-containerd's Tasks service and real shims.
describe('tasks through runtime v2 shims', { tags: ['kernel'] }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let daemon: Awaited<ReturnType<typeof startDaemon>>;
  let small: TestImage;
  const c = (...args: string[]) => ctr(daemon.address, '--namespace', NS, ...args);

  beforeAll(async () => {
    small = (await ensureTestImages(['small'])).small!;
    dir = await tempDir('tasks');
    daemon = await startDaemon(join(dir.path, 'daemon'));
    await c('images', 'import', small.dockerArchive);
  }, 120_000);

  afterAll(async () => {
    for (const id of (await c('tasks', 'ls', '-q').catch(() => '')).split('\n').filter(Boolean))
      await c('tasks', 'rm', '-f', id).catch(() => {});
    await daemon?.close();
    await removeNamespaceCgroups();
    await dir?.remove();
  });

  const bundleDir = (id: string) =>
    join(dir.path, 'daemon', 'state', 'io.containerd.runtime.v2.task', NS, id);

  for (const runtime of RUNTIMES) {
    it(`ctr run --rm with ${runtime} prints the process output`, async () => {
      const topics: string[] = [];
      const unsubscribe = daemon.core.events.subscribe(
        [`namespace==${NS},topic~="^/tasks/"`],
        (e) => topics.push(e.topic),
      );
      const out = await c('run', '--rm', '--runtime', runtime, small.ref, 'rm1', 'echo', 'hi');
      unsubscribe();
      expect(out.trim()).toBe('hi');
      // Shims forward their events over <socket>.ttrpc; the daemon publishes the delete.
      expect(topics).toEqual(
        expect.arrayContaining(['/tasks/create', '/tasks/start', '/tasks/exit', '/tasks/delete']),
      );
      expect(existsSync(bundleDir('rm1'))).toBe(false);
      expect(await c('containers', 'ls', '-q')).not.toContain('rm1');
    });

    it(`runs detached, lists, kills and removes a task with ${runtime}`, async () => {
      await c('run', '-d', '--runtime', runtime, small.ref, 'd1', 'sleep', '60');
      expect(existsSync(join(bundleDir('d1'), 'config.json'))).toBe(true);
      expect(await c('tasks', 'ls')).toMatch(/d1\s+\d+\s+RUNNING/);
      expect(await c('tasks', 'exec', '--exec-id', 'e1', 'd1', 'echo', 'from-exec')).toBe(
        'from-exec\n',
      );
      await expect(c('tasks', 'rm', 'd1')).rejects.toThrow(/running/);
      const initPid = /d1\s+(\d+)/.exec(await c('tasks', 'ls'))?.[1];
      expect(await c('tasks', 'ps', 'd1')).toContain(initPid);
      await c('tasks', 'pause', 'd1');
      expect(await c('tasks', 'ls')).toMatch(/d1\s+\d+\s+PAUSED/);
      await c('tasks', 'resume', 'd1');
      expect(await c('tasks', 'metrics', '--format', 'json', 'd1')).toMatch(/pids|memory/i);
      await c('tasks', 'kill', '-s', 'SIGKILL', 'd1');
      for (let i = 0; !/STOPPED/.test(await c('tasks', 'ls')); i++) {
        if (i > 100) throw new Error('task did not stop');
        await new Promise((r) => setTimeout(r, 50));
      }
      await c('tasks', 'rm', 'd1');
      expect(await c('tasks', 'ls', '-q')).toBe('');
      expect(existsSync(bundleDir('d1'))).toBe(false);
      await c('containers', 'rm', 'd1');
    });
  }

  it('reconnects to running shims after a daemon restart and drops bundles of dead ones', async () => {
    const runc = 'io.containerd.runc.v2';
    await c('run', '-d', '--runtime', runc, small.ref, 'keep', 'sleep', '60');
    await c('run', '-d', '--runtime', runc, small.ref, 'lost', 'sleep', '60');
    const pidOf = async (id: string) =>
      Number(
        /\s(\d+)\s+RUNNING/.exec(
          (await c('tasks', 'ls')).split('\n').find((l) => l.startsWith(id)) ?? '',
        )?.[1],
      );
    const lostInit = await pidOf('lost');
    const lostShim = await shimPidOf(daemon.address, 'lost');
    await daemon.close();
    process.kill(lostShim, 'SIGKILL');
    process.kill(lostInit, 'SIGKILL');
    daemon = await startDaemon(join(dir.path, 'daemon'));
    expect(await c('tasks', 'ls')).toMatch(/keep\s+\d+\s+RUNNING/);
    expect(await c('tasks', 'ls')).not.toContain('lost');
    expect(existsSync(bundleDir('lost'))).toBe(false);
    await c('tasks', 'kill', '-s', 'SIGKILL', 'keep');
    await c('tasks', 'rm', '-f', 'keep');
    await c('containers', 'rm', 'keep', 'lost');
  });

  it('answers NotFound for an unknown task and Unimplemented for checkpoints', async () => {
    await expect(c('tasks', 'kill', 'nosuch')).rejects.toThrow(/not found/);
    await c('containers', 'create', small.ref, 'cp1');
    await expect(c('tasks', 'checkpoint', 'cp1')).rejects.toThrow(/not found|not implemented/);
    await c('containers', 'rm', 'cp1');
  });
});
