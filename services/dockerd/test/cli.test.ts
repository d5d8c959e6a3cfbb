// The unmodified docker CLI (28.2, and 20.10 where cheap) against berth-dockerd on
// berth-containerd (or upstream containerd 1.6, in the dockerd-upstream project) with the runc
// shim: images and the container lifecycle.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestImage } from '@berth/test-images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';

const execFileAsync = promisify(execFile);
const CLI = '/usr/local/bin/docker';
const OLD_CLI = '/usr/bin/docker';

describe('the docker CLI on berth-dockerd', { tags: ['kernel'] }, () => {
  let host: string;
  let small: TestImage;
  let t: TestDaemon;

  const docker = async (args: string[], options: { cli?: string; input?: string } = {}) => {
    const child = spawn(options.cli ?? CLI, ['-H', host, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(options.input ?? '');
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    return { code, stdout, stderr };
  };
  const ok = async (args: string[], options?: { cli?: string; input?: string }) => {
    const res = await docker(args, options);
    if (res.code !== 0)
      throw new Error(`docker ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
    return res.stdout;
  };
  /** Runs the CLI on a pseudo-terminal (script(1)), feeding `input` after a pause. */
  const withTty = async (command: string, input: string) => {
    const { stdout } = await execFileAsync('sh', [
      '-c',
      `(sleep 1; printf '${input}') | timeout 10 script -qec "${CLI} -H ${host} ${command}" /dev/null; echo "rc=$?"`,
    ]);
    return stdout;
  };

  beforeAll(async () => {
    t = await startTestDaemon('cli', { images: ['small'] });
    host = t.host;
    small = t.images.small!;
  }, 60_000);

  afterAll(() => t?.close(), 60_000);

  it('shows info, images, and inspects, tags and removes images (28.2 and 20.10)', async () => {
    const info = JSON.parse(await ok(['info', '--format', '{{json .}}']));
    expect(info.Images).toBe(1);
    expect(info.Driver).toBe('overlayfs');
    for (const cli of [CLI, OLD_CLI]) {
      const images = await ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'], { cli });
      expect(images.trim()).toBe(`berth.test/small:latest ${small.configDigest.slice(7, 19)}`);
    }
    const [inspect] = JSON.parse(await ok(['image', 'inspect', 'berth.test/small']));
    expect(inspect.Id).toBe(small.configDigest);
    expect(inspect.RootFS.Layers).toEqual(small.layers.map((l) => l.diffId));
    expect(inspect.Config.Cmd).toEqual(['sh']);
    await ok(['tag', 'berth.test/small', 'busybox:mine']);
    expect(
      JSON.parse(await ok(['image', 'inspect', small.configDigest.slice(7, 15)]))[0].RepoTags,
    ).toEqual(['berth.test/small:latest', 'busybox:mine']);
    const refused = await docker(['rmi', small.configDigest.slice(7, 19)]);
    expect(refused.stderr).toMatch(
      /must be forced\) - image is referenced in multiple repositories/,
    );
    expect(await ok(['rmi', 'busybox:mine'])).toBe('Untagged: busybox:mine\n');
    expect((await docker(['image', 'inspect', 'nope:1'])).stderr).toMatch(/No such image: nope:1/);
    expect(await ok(['history', '--format', '{{.ID}}', 'berth.test/small'])).toBe(
      `${small.configDigest.slice(7, 19)}\n`,
    );
  });

  it('propagates the exit code of run --rm and removes the container', async () => {
    for (const cli of [CLI, OLD_CLI]) {
      const res = await docker(
        [
          'run',
          '--rm',
          '--network',
          'none',
          'berth.test/small',
          'sh',
          '-c',
          'echo out; echo err >&2; exit 3',
        ],
        { cli },
      );
      expect(res).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    }
    expect(await ok(['ps', '-aq'])).toBe('');
  });

  it('applies -e, -w, -u, --name, hostname and Docker default capabilities', async () => {
    const out = await ok([
      'run',
      '--rm',
      '--name',
      'opts',
      '-e',
      'FOO=bar',
      '-w',
      '/tmp',
      '-u',
      'nobody',
      'berth.test/small',
      'sh',
      '-c',
      'echo $FOO; pwd; id -u; echo $HOSTNAME | wc -c; grep CapBnd /proc/self/status; cat /proc/kcore | wc -c',
    ]);
    const [foo, cwd, uid, hostnameLength, capBnd, kcore] = out.trim().split('\n');
    expect([foo, cwd, uid, hostnameLength]).toEqual(['bar', '/tmp', '65534', '13']);
    // the 14 default capabilities: chown dac_override fowner fsetid kill setgid setuid setpcap
    // net_bind_service net_raw sys_chroot mknod audit_write setfcap
    expect(capBnd).toMatch(/00000000a80425fb$/);
    expect(kcore?.trim()).toBe('0');
  });

  it('runs a detached container through ps, logs, exec, top, pause, rename, stop, start, restart, kill, wait, rm', async () => {
    const id = (
      await ok([
        'run',
        '-d',
        '--name',
        'life',
        'berth.test/small',
        'sh',
        '-c',
        'trap "exit 0" TERM; echo ready; while true; do echo tick; sleep 0.2; done',
      ])
    ).trim();
    await expect.poll(async () => ok(['logs', 'life']), { timeout: 5000 }).toMatch(/ready\ntick\n/);
    expect(await ok(['ps', '--format', '{{.ID}} {{.Names}} {{.Status}}'])).toMatch(
      new RegExp(`^${id.slice(0, 12)} life Up`),
    );
    expect(await ok(['logs', '--tail', '1', 'life'])).toBe('tick\n');
    expect(await ok(['logs', '-t', '--tail', '1', 'life'])).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z tick\n$/,
    );
    const follow = spawn(CLI, ['-H', host, 'logs', '-f', '--tail', '0', 'life']);
    const followed = await new Promise<string>((resolve) =>
      follow.stdout.once('data', (c: Buffer) => resolve(c.toString())),
    );
    follow.kill();
    expect(followed).toBe('tick\n');
    const exec = await docker(['exec', 'life', 'sh', '-c', 'echo in-exec; exit 5']);
    expect(exec).toMatchObject({ code: 5, stdout: 'in-exec\n' });
    expect(await ok(['exec', '-i', 'life', 'cat'], { input: 'piped\n' })).toBe('piped\n');
    expect(await ok(['top', 'life'])).toMatch(/sh -c trap/);
    await ok(['pause', 'life']);
    expect(await ok(['ps', '--format', '{{.Status}}'])).toMatch(/\(Paused\)/);
    await ok(['unpause', 'life']);
    await ok(['rename', 'life', 'life2']);
    await ok(['stop', 'life2']);
    expect(
      await ok(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.Name}}', id]),
    ).toBe('exited 0 /life2\n');
    await ok(['start', 'life2']);
    await ok(['restart', '-t', '1', 'life2']);
    expect(await ok(['inspect', '--format', '{{.State.Running}}', 'life2'])).toBe('true\n');
    const waited = docker(['wait', 'life2']);
    await ok(['kill', 'life2']);
    expect((await waited).stdout).toBe('137\n');
    await ok(['rm', '-f', 'life2']);
    expect((await docker(['inspect', 'life2'])).code).toBe(1);
  });

  it('attaches stdin before start, and gives exec -it and run -it a real TTY', async () => {
    expect(
      await ok(['run', '--rm', '-i', 'berth.test/small', 'cat'], { input: 'early stdin\n' }),
    ).toBe('early stdin\n');
    const id = (await ok(['run', '-d', '-it', '--name', 'tty', 'berth.test/small', 'sh'])).trim();
    const exec = await withTty('exec -it tty sh', 'tty; exit 4\\n');
    expect(exec).toMatch(/\/dev\/pts\/\d+/);
    expect(exec).toMatch(/rc=4/);
    const run = await withTty('run --rm -it berth.test/small sh', 'echo run-it; exit 6\\n');
    expect(run).toMatch(/run-it/);
    expect(run).toMatch(/rc=6/);
    await ok(['rm', '-f', id]);
    await ok([
      'run',
      '-d',
      '--name',
      'att',
      'berth.test/small',
      'sh',
      '-c',
      'sleep 1; echo late; exit 2',
    ]);
    const attached = await docker(['attach', 'att']);
    expect(attached).toMatchObject({ code: 2, stdout: 'late\n' });
    await ok(['rm', 'att']);
  });

  it('keeps running containers across a daemon restart (live-restore)', async () => {
    await ok([
      'run',
      '-d',
      '--name',
      'survivor',
      'berth.test/small',
      'sh',
      '-c',
      'echo before; sleep 60',
    ]);
    await t.restart();
    expect(await ok(['ps', '--format', '{{.Names}} {{.State}}'])).toBe('survivor running\n');
    expect(await ok(['logs', 'survivor'])).toBe('before\n');
    await ok(['rm', '-f', 'survivor']);
  });
});
