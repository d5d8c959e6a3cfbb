// The docker CLI on berth-dockerd where moby reacts to containerd at once: an OOM kill is an
// `oom` event (and State.OOMKilled) while the container still runs, from containerd's
// /tasks/oom; and `docker run` of a container whose start fails ends instead of hanging on
// its attach.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type dockerCli } from './helpers/docker-cli';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';

const SMALL = 'berth.test/small';

describe('OOM events and failed starts through the docker CLI', { tags: ['kernel'] }, () => {
  let host: string;
  let cli: ReturnType<typeof dockerCli>;
  let t: TestDaemon;

  beforeAll(async () => {
    t = await startTestDaemon('oom', { images: ['small'] });
    ({ host, cli } = t);
  }, 60_000);

  afterAll(() => t?.close(), 60_000);

  it('emits oom and sets OOMKilled while the container runs on', async () => {
    const events = spawn(CLI, ['-H', host, 'events', '--format', '{{.Action}}']);
    let seen = '';
    events.stdout.on('data', (c: Buffer) => (seen += c.toString()));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      // tail buffers /dev/zero's one endless line: the kernel kills it, not the shell.
      const id = (
        await cli.ok([
          'run',
          '-d',
          '--network',
          'none',
          '--memory',
          '32m',
          '--memory-swap',
          '32m',
          SMALL,
          'sh',
          '-c',
          'tail /dev/zero; sleep 60',
        ])
      ).trim();
      await expect.poll(() => seen, { timeout: 20_000 }).toMatch(/^start\noom\n/m);
      const state = JSON.parse(await cli.ok(['inspect', '--format', '{{json .State}}', id]));
      expect([state.Running, state.OOMKilled]).toEqual([true, true]);
      await cli.ok(['rm', '-f', id]);
      // One oom per kill: the exit does not report it again.
      await expect.poll(() => seen, { timeout: 10_000 }).toMatch(/destroy\n$/);
      expect(seen.match(/^oom$/gm)).toHaveLength(1);
    } finally {
      events.kill();
    }
  });

  it('ends attached streams when the start fails, and `docker run` exits 127', async () => {
    const id = (await cli.ok(['create', '--network', 'none', '-i', SMALL, '/no/such'])).trim();
    const attach = request({
      socketPath: host.slice('unix://'.length),
      method: 'POST',
      path: `/v1.41/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1`,
      headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
    });
    const socket = await new Promise<Duplex>((resolve, reject) => {
      attach.once('upgrade', (_res, s: Duplex) => resolve(s));
      attach.once('error', reject);
      attach.end();
    });
    socket.on('error', () => undefined);
    const ended = new Promise<void>((resolve) => socket.once('end', resolve).resume());
    const start = await cli.docker(['start', id]);
    expect(start.stderr).toMatch(/no such file or directory/);
    await ended;
    socket.destroy();
    await cli.ok(['rm', id]);
    const run = await cli.docker(['run', '-i', '--rm', '--network', 'none', SMALL, '/no/such']);
    expect(run.code).toBe(127);
  });
});
