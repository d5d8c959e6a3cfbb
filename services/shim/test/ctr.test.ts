// Upstream containerd 1.6 and its `ctr` running containers through containerd-shim-berth-v1,
// with its default OCI runtime: berth's, in the shim's process (task-api.test.ts names a
// binary instead).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '@berth/oci';
import { runtimeRoot } from '../src/paths';
import { accepts } from '../src/start';
import { alive, Harness, RUNTIME } from './helpers/harness';

describe('containerd-shim-berth-v1 under upstream containerd', { tags: ['kernel'] }, () => {
  let h: Harness;
  const run = (args: string[]) => h.ctr(['run', '--runtime', RUNTIME, ...args]);

  beforeAll(async () => {
    h = await Harness.start();
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  async function statusOf(id: string): Promise<string | undefined> {
    const { stdout } = await h.ctr(['task', 'ls']);
    const row = stdout.split('\n').find((line) => line.startsWith(`${id} `));
    return row?.trim().split(/\s+/)[2];
  }

  it('ctr run --rm prints the output and exits 0', async () => {
    const result = await run(['--rm', h.image, 'rm1', 'echo', 'hi']);
    expect(result).toMatchObject({ code: 0, stdout: 'hi\n' });
    expect((await h.ctr(['containers', 'ls', '-q'])).stdout).not.toContain('rm1');
  });

  it('ctr run --rm passes the exit code through', async () => {
    const result = await run([
      '--rm',
      h.image,
      'rm2',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3',
    ]);
    expect(result).toMatchObject({ code: 3, stdout: 'out\n' });
    expect(result.stderr).toContain('err\n');
  });

  it('runs detached: task ls, exec, ps, pause/resume, metrics, kill and the exit code', async () => {
    const events = h.watchEvents();
    const script = 'trap "exit 42" TERM; while :; do sleep 0.1; done';
    expect((await run(['-d', h.image, 'd1', 'sh', '-c', script])).code).toBe(0);
    expect(await statusOf('d1')).toBe('RUNNING');
    // berth's runtime made it, in its own root, where berth-runc would find it.
    const berth = new Runtime({ root: runtimeRoot(h.namespace) });
    expect(await berth.state('d1')).toMatchObject({ id: 'd1', status: 'running' });

    const exec = await h.ctr([
      'task',
      'exec',
      '--exec-id',
      'e1',
      'd1',
      'sh',
      '-c',
      'echo from exec; exit 5',
    ]);
    expect(exec).toMatchObject({ code: 5, stdout: 'from exec\n' });

    const ps = await h.ctr(['task', 'ps', 'd1']);
    expect(ps.code).toBe(0);
    expect(ps.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(2); // header + init

    expect((await h.ctr(['task', 'pause', 'd1'])).code).toBe(0);
    expect(await statusOf('d1')).toBe('PAUSED');
    expect((await h.ctr(['task', 'resume', 'd1'])).code).toBe(0);
    expect(await statusOf('d1')).toBe('RUNNING');

    const metrics = await h.ctr(['task', 'metrics', '--format', 'json', 'd1']);
    expect(metrics.code).toBe(0);
    const data = JSON.parse(metrics.stdout) as { memory?: { usage?: { usage?: number } } };
    expect(data.memory?.usage?.usage ?? 0).toBeGreaterThan(0);

    expect((await h.ctr(['task', 'kill', 'd1'])).code).toBe(0);
    await expect.poll(() => statusOf('d1'), { timeout: 10_000 }).toBe('STOPPED');
    // ctr 1.6 reports a task's non-zero exit as a warning.
    expect((await h.ctr(['task', 'rm', 'd1'])).stderr).toContain('exit code 42');
    expect((await h.ctr(['containers', 'rm', 'd1'])).code).toBe(0);

    // The shim published each step to containerd, which relays it to `ctr events`.
    const topics = [
      '/tasks/create',
      '/tasks/start',
      '/tasks/exec-added',
      '/tasks/exec-started',
      '/tasks/paused',
      '/tasks/resumed',
      '/tasks/exit',
      '/tasks/delete',
    ];
    await expect
      .poll(() => events.topics(), { timeout: 5000 })
      .toEqual(expect.arrayContaining(topics));
    const exits = events.lines().filter((line) => line.includes('/tasks/exit'));
    expect(exits.some((line) => line.includes('"exit_status":5'))).toBe(true); // the exec
    expect(exits.some((line) => line.includes('"exit_status":42'))).toBe(true); // the init
    events.stop();
  }, 60_000);

  it('reports an OOM kill as a TaskOOM event and exit 137', async () => {
    const events = h.watchEvents();
    // dd's 64 MiB buffer cannot fit under a 16 MiB limit (the host has no swap to hide it).
    const oom = ['sh', '-c', 'dd if=/dev/zero of=/dev/null bs=64M count=1'];
    const result = await run(['--rm', '--memory-limit', String(16 << 20), h.image, 'oom1', ...oom]);
    expect(result.code).toBe(137);
    await expect.poll(() => events.topics(), { timeout: 5000 }).toContain('/tasks/oom');
    expect(events.lines().find((line) => line.includes('/tasks/oom'))).toContain(
      '"container_id":"oom1"',
    );
    events.stop();
  });

  it("ctr run -t and task exec -t give the process a terminal of the client's size", async () => {
    const tty = '[ -t 0 ] && [ -t 1 ] && echo on-a-tty; sleep 0.5; stty size';
    const result = await h.ctrWithTty([
      'run',
      '--runtime',
      RUNTIME,
      '-t',
      '--rm',
      h.image,
      'tty1',
      'sh',
      '-c',
      tty,
    ]);
    expect(result.code).toBe(0);
    // Both the container's pty and the client's add carriage returns.
    expect(result.stdout).toMatch(/on-a-tty\r+\n33 111\r+\n/);

    expect((await run(['-d', h.image, 'tty2', 'sleep', '60'])).code).toBe(0);
    const exec = await h.ctrWithTty([
      'task',
      'exec',
      '-t',
      '--exec-id',
      'x1',
      'tty2',
      'sh',
      '-c',
      `${tty}; exit 4`,
    ]);
    expect(exec.code).toBe(4);
    expect(exec.stdout).toMatch(/on-a-tty\r+\n33 111\r+\n/);
    expect((await h.ctr(['task', 'kill', '-s', 'SIGKILL', 'tty2'])).code).toBe(0);
    await expect.poll(() => statusOf('tty2'), { timeout: 10_000 }).toBe('STOPPED');
    expect((await h.ctr(['task', 'rm', 'tty2'])).stderr).toContain('exit code 137');
    expect((await h.ctr(['containers', 'rm', 'tty2'])).code).toBe(0);
  });

  it('survives kill -9 of the shim server and a containerd restart, keeping the exit code', async () => {
    expect((await run(['-d', h.image, 's1', 'sh', '-c', 'sleep 2; exit 7'])).code).toBe(0);
    const pid = Number((await h.ctr(['task', 'ls'])).stdout.match(/^s1\s+(\d+)/m)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const servers = h.shimServers();
    expect(servers.length).toBe(1);
    process.kill(servers[0]!, 'SIGKILL');
    await expect.poll(() => alive(servers[0]!)).toBe(false);
    expect(alive(pid)).toBe(true); // the container does not depend on the server

    await h.containerd.stop();
    await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false); // exits meanwhile
    await h.startContainerd();

    await expect.poll(() => statusOf('s1'), { timeout: 10_000 }).toBe('STOPPED');
    expect((await h.ctr(['task', 'rm', 's1'])).stderr).toContain('exit code 7');
    expect((await h.ctr(['containers', 'rm', 's1'])).code).toBe(0);
  }, 60_000);

  it('a monitor brings a killed server back, so a restarting containerd finds its task', async () => {
    expect(
      (
        await run([
          '-d',
          h.image,
          's2',
          'sh',
          '-c',
          'trap "exit 9" TERM; while :; do sleep 0.1; done',
        ])
      ).code,
    ).toBe(0);
    await h.containerd.stop();
    const [server] = h.shimServers();
    process.kill(server!, 'SIGKILL');
    // The container's monitor saw its server go and started a new one.
    await expect
      .poll(() => h.shimServers().filter((pid) => pid !== server).length, { timeout: 10_000 })
      .toBe(1);
    await expect.poll(() => accepts(h.groupAddress()), { timeout: 10_000 }).toBe(true);
    await h.startContainerd();
    expect(await statusOf('s2')).toBe('RUNNING');
    expect((await h.ctr(['task', 'kill', 's2'])).code).toBe(0);
    await expect.poll(() => statusOf('s2'), { timeout: 10_000 }).toBe('STOPPED');
    expect((await h.ctr(['task', 'rm', 's2'])).stderr).toContain('exit code 9');
    expect((await h.ctr(['containers', 'rm', 's2'])).code).toBe(0);
  }, 60_000);
});
