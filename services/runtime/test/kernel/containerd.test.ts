// Debian's containerd and containerd-shim-runc-v2, unmodified, running containers with
// berth-runc as the runc binary: the shim -> runtime boundary of DESIGN.md.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestImages } from '@berth/test-images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERTH_RUNC, buildCli, CGROUP_PARENT, removeCgroupParent, type Result } from '../helpers';

describe('containerd-shim-runc-v2 with berth-runc', { tags: ['kernel'] }, () => {
  let dir: string;
  let containerd: ChildProcess;
  let sock: string;
  const image = 'berth.test/small:latest';

  const run = (cmd: string, args: string[]): Promise<Result> =>
    new Promise((res) =>
      execFile(cmd, args, { timeout: 20_000 }, (err, stdout, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
  const ctr = (...args: string[]) => run('ctr', ['-a', sock, ...args]);
  /** ctr with a pty of its own (ctr -t needs one): through script(1). */
  const ctrTty = (...args: string[]) =>
    run('script', [
      '-qec',
      ['ctr', '-a', sock, ...args].map((a) => `'${a}'`).join(' '),
      '/dev/null',
    ]);
  const runArgs = (id: string) => [
    '--runc-binary',
    BERTH_RUNC,
    '--cgroup',
    `${CGROUP_PARENT}/${id}`,
  ];

  beforeAll(async () => {
    buildCli();
    const images = await ensureTestImages(['small']);
    dir = await mkdtemp(join(tmpdir(), 'berth-ctd-'));
    sock = join(dir, 'containerd.sock');
    const config = join(dir, 'config.toml');
    await writeFile(
      config,
      [
        'version = 2',
        `root = "${dir}/root"`,
        `state = "${dir}/state"`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.internal.v1.tracing"]',
        '[grpc]',
        `  address = "${sock}"`,
        '[ttrpc]',
        `  address = "${sock}.ttrpc"`,
      ].join('\n'),
    );
    containerd = spawn('containerd', ['--config', config], { stdio: 'ignore' });
    for (let i = 0; i < 200 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 25));
    const imported = await ctr('image', 'import', images.small!.dockerArchive);
    expect(imported.code, imported.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    // Shims of this containerd outlive it; they are ours by the address on their command line.
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      const cmdline = (() => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      })();
      if (cmdline.startsWith('containerd-shim') || cmdline.includes('containerd-shim-runc-v2'))
        if (cmdline.includes(sock)) process.kill(Number(pid), 'SIGKILL');
    }
    containerd?.kill('SIGTERM');
    await new Promise((r) => containerd?.once('exit', r));
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n').reverse()) {
      const mountpoint = line.split(' ')[4];
      if (mountpoint?.startsWith(dir)) await run('umount', ['-l', mountpoint]);
    }
    await rm(dir, { recursive: true, force: true });
    await removeCgroupParent();
  }, 60_000);

  it('ctr run --rm echo hi', async () => {
    const res = await ctr('run', ...runArgs('t1'), '--rm', image, 't1', 'echo', 'hi');
    expect(res).toMatchObject({ code: 0, stdout: 'hi\n' });
  });

  it('ctr run -t with a TTY and its console size', async () => {
    const res = await ctrTty(
      'run',
      '-t',
      ...runArgs('t2'),
      '--rm',
      image,
      't2',
      'sh',
      '-c',
      'tty; echo tty-ok',
    );
    expect(res.code).toBe(0);
    // Two ptys (the container's and script's) each turn \n into \r\n.
    expect(res.stdout).toMatch(/\/dev\/pts\/\d+\r+\ntty-ok\r+\n/);
  });

  it('ctr task exec into a detached container, then kill and delete', async () => {
    const started = await ctr('run', '-d', ...runArgs('t3'), image, 't3', 'sleep', '60');
    expect(started.code, started.stderr).toBe(0);
    const exec = await ctr(
      'task',
      'exec',
      '--exec-id',
      'e1',
      't3',
      'sh',
      '-c',
      'echo exec-$$; cat /proc/1/comm',
    );
    // Joined the container's pid namespace: its init is pid 1.
    expect(exec).toMatchObject({ code: 0, stdout: expect.stringMatching(/^exec-\d+\nsleep\n$/) });
    const tty = await ctrTty('task', 'exec', '-t', '--exec-id', 'e2', 't3', 'tty');
    expect(tty.stdout).toMatch(/\/dev\/pts\/\d+/);
    const ps = await ctr('task', 'ps', 't3');
    expect(ps.stdout).toMatch(/PID/);
    const killed = await ctr('task', 'kill', '-s', 'KILL', 't3');
    expect(killed.code, killed.stderr).toBe(0);
    for (let i = 0; i < 100 && !(await ctr('task', 'ls')).stdout.includes('STOPPED'); i++)
      await new Promise((r) => setTimeout(r, 50));
    const deleted = await ctr('task', 'delete', 't3');
    expect(deleted.code, deleted.stderr).toBe(0);
    const removed = await ctr('container', 'delete', 't3');
    expect(removed.code, removed.stderr).toBe(0);
  });
});
