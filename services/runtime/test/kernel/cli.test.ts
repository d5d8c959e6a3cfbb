// The bundled berth-runc, driven as containerd's shim drives runc.
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, makeBundle, removeCgroupParent } from '../helpers';

describe('berth-runc command line', { tags: ['kernel'] }, () => {
  let bundle: string;
  const root = join(tmpdir(), `berth-runc-cli-${process.pid}`);
  const r = (...args: string[]) => cli(['--root', root, ...args]);
  const detached = (...args: string[]) => cli(['--root', root, ...args], { detached: true });

  beforeAll(async () => {
    buildCli();
    bundle = await makeBundle(
      (s) => (s.process!.args = ['sh', '-c', 'echo out; echo err >&2; exit 3']),
    );
  });
  afterAll(async () => {
    for (const id of (await r('list', '-q')).stdout.split('\n').filter(Boolean))
      await r('delete', '-f', id);
    await rm(bundle, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
    await removeCgroupParent();
  });

  it('run: passes stdio through and exits with the container status', async () => {
    const res = await r('run', '--bundle', bundle, 'run1');
    expect(res).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect((await r('list', '-q')).stdout).toBe('');
  });

  it('create/state/start/list/kill/delete with runc output and exit codes', async () => {
    const sleeper = await makeBundle((s) => (s.process!.args = ['sleep', '30']));
    const pidFile = join(sleeper, 'pid');
    try {
      expect((await detached('create', '-b', sleeper, '--pid-file', pidFile, 'c1')).code).toBe(0);
      const pid = Number(await readFile(pidFile, 'utf8'));
      const state = JSON.parse((await r('state', 'c1')).stdout);
      expect(Object.keys(state)).toEqual([
        'ociVersion',
        'id',
        'pid',
        'status',
        'bundle',
        'rootfs',
        'created',
        'owner',
      ]);
      expect(state).toMatchObject({ id: 'c1', pid, status: 'created', bundle: sleeper });
      expect((await r('start', 'c1')).code).toBe(0);
      const list = JSON.parse((await r('list', '--format', 'json')).stdout);
      expect(list).toMatchObject([{ id: 'c1', status: 'running' }]);
      expect(JSON.parse((await r('ps', '--format', 'json', 'c1')).stdout)).toEqual([pid]);
      // runc's stats document (libcontainer's types.Stats), as callers of runc read it.
      const event = JSON.parse((await r('events', '--stats', 'c1')).stdout);
      expect(event).toMatchObject({ type: 'stats', id: 'c1' });
      expect(event.data.cpu.usage).toHaveProperty('kernel');
      expect(event.data.memory.usage.usage).toBeGreaterThan(0);
      expect(event.data.memory).toHaveProperty('kernelTCP');
      expect(event.data.memory.raw).toBeTypeOf('object');
      expect(event.data.pids.current).toBe(1);
      const exec = await r('exec', 'c1', 'sh', '-c', 'echo in-$(hostname)');
      expect(exec).toMatchObject({ code: 0, stdout: 'in-berth\n' });
      expect((await r('kill', 'c1', 'KILL')).code).toBe(0);
      for (
        let i = 0;
        i < 100 && JSON.parse((await r('state', 'c1')).stdout).status !== 'stopped';
        i++
      );
      expect(JSON.parse((await r('state', 'c1')).stdout).status).toBe('stopped');
      expect((await r('delete', 'c1')).code).toBe(0);
    } finally {
      await rm(sleeper, { recursive: true, force: true });
    }
  });

  it('reports errors like runc: exit 1, logrus line on stderr, JSON line in --log', async () => {
    const log = join(root, 'log.json');
    const res = await cli(['--root', root, '--log', log, '--log-format', 'json', 'state', 'nope']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/level=error msg="container \\"nope\\" does not exist"/);
    const entry = JSON.parse((await readFile(log, 'utf8')).trim());
    expect(entry).toMatchObject({ level: 'error', msg: 'container "nope" does not exist' });
    expect(Date.parse(entry.time)).toBeGreaterThan(0);
    expect((await r('create', '-b', '/nonexistent', 'x')).stderr).toMatch(/config.json not found/);
    expect((await r('kill', 'nope')).code).toBe(1);
  });

  it('traces under TRACEPARENT, with the launcher phases as child spans', async () => {
    const traces = join(root, 'traces');
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await cli(['--root', root, 'run', '--bundle', bundle, 'traced'], {
      env: { TRACEPARENT: `00-${traceId}-b7ad6b7169203331-01`, BERTH_TRACE_DIR: traces },
    });
    expect(res.code).toBe(3);
    const lines = (await readdir(traces))
      .map((f) => readFileSync(join(traces, f), 'utf8'))
      .join('');
    const spans = lines
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as { traceId: string; name: string; spanId: string; parentSpanId?: string },
      )
      .filter((sp) => sp.traceId === traceId);
    const run = spans.find((sp) => sp.name === 'runtime.run');
    expect(run?.parentSpanId).toBe('b7ad6b7169203331');
    const phases = spans.filter((sp) => sp.parentSpanId === run?.spanId).map((sp) => sp.name);
    expect(phases).toEqual(
      expect.arrayContaining([
        'runtime.launch.spawn',
        'runtime.launch.cgroup',
        'runtime.launch.namespaces.create',
        'runtime.launch.mounts',
        'runtime.launch.pivot_root',
        'runtime.launch.capabilities',
        'runtime.launch.exec_lookup',
      ]),
    );
  });

  it('writes a default spec, and refuses to overwrite it', async () => {
    const dir = join(root, 'spec');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((f) => f.mkdir(dir, { recursive: true }));
    expect((await r('spec', '--bundle', dir)).code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')).process.args).toEqual([
      'sh',
    ]);
    expect((await r('spec', '--bundle', dir)).stderr).toMatch(/exists/);
  });

  it('reports features as JSON', async () => {
    const f = JSON.parse((await r('features')).stdout);
    expect(f.linux.namespaces).toContain('time');
    expect(f.hooks).toHaveLength(6);
  });
});
