// The docker CLI on berth-dockerd where moby reacts to containerd at once: an OOM kill is an
// `oom` event (and State.OOMKilled) while the container still runs, from containerd's
// /tasks/oom; and `docker run` of a container whose start fails ends instead of hanging on
// its attach.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { ensureTestImages } from '@berth/test-images';
import { startContainerdPeer, type UpstreamContainerd } from '@berth/test-peers';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../src/daemon';
import { CLI, dockerCli, ownCgroup } from './helpers/docker-cli';

const SMALL = 'berth.test/small';

describe('OOM events and failed starts through the docker CLI', { tags: ['kernel'] }, () => {
  let dir: string;
  let containerd: UpstreamContainerd;
  let daemon: Daemon;
  let host: string;
  let cli: ReturnType<typeof dockerCli>;
  const cgroupParent = join(ownCgroup(), `berth-dockerd-oom-${process.pid}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-dockerd-oom-'));
    const images = await ensureTestImages(['small']);
    containerd = await startContainerdPeer(join(dir, 'containerd'));
    host = `unix://${join(dir, 'docker.sock')}`;
    cli = dockerCli(host);
    daemon = await startDaemon(
      {
        host,
        containerdAddress: containerd.address,
        dataRoot: join(dir, 'data'),
        execRoot: join(dir, 'exec'),
        group: 'root',
        cgroupParent,
      },
      '0.0.0-test',
      pino({ level: 'silent' }),
    );
    await cli.ok(['load', '-i', images.small!.dockerArchive]);
  }, 60_000);

  afterAll(async () => {
    for (const c of daemon?.containers.list() ?? [])
      await daemon.containers.remove(c.id, { force: true }).catch(() => undefined);
    await daemon?.close();
    await containerd?.stop();
    for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
      try {
        rmdirSync(join('/sys/fs/cgroup', hierarchy, cgroupParent));
      } catch {
        // that hierarchy had no directory for us
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

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
