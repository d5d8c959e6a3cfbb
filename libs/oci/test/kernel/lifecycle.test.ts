// create/start split, state, kill, delete, exec, hooks, seccomp, terminal and no-pivot.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenConsole } from '../helpers/console';
import { makeBundle, type TestBundle } from '../helpers/bundle';

const waitFor = async (check: () => Promise<boolean>, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10)))
    if (await check()) return;
  throw new Error('timed out');
};

describe('container lifecycle', { tags: ['kernel'] }, () => {
  let b: TestBundle;
  beforeAll(async () => {
    b = await makeBundle();
  });
  afterAll(async () => {
    await b.cleanup();
  });

  it('create blocks the process on the exec fifo until start; kill and delete clean up', async () => {
    await b.write((s) => {
      s.process!.args = ['sh', '-c', 'echo started >/tmp/flag; sleep 60'];
    });
    const pidFile = join(b.dir, 'pid');
    const launched = await b.runtime.create('life', {
      bundle: b.dir,
      pidFile,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    expect(Number(await readFile(pidFile, 'utf8'))).toBe(launched.pid);
    const state = await b.runtime.state('life');
    expect(state).toMatchObject({
      id: 'life',
      pid: launched.pid,
      status: 'created',
      bundle: b.dir,
      rootfs: b.rootfs,
    });
    await expect(stat(join(b.rootfs, 'tmp/flag'))).rejects.toThrow();
    const execAt = await b.runtime.start('life');
    expect(execAt).toBeGreaterThan(launched.times.find((t) => t.phase === 'spawn')?.ns ?? 0n);
    expect((await b.runtime.state('life')).status).toBe('running');
    await waitFor(async () => (await stat(join(b.rootfs, 'tmp/flag')).catch(() => null)) !== null);
    await expect(b.runtime.start('life')).rejects.toThrow(/already been started/);
    await expect(b.runtime.delete('life')).rejects.toThrow(/not stopped: running/);
    expect(await b.runtime.ps('life')).toEqual([launched.pid]);

    await b.runtime.pause('life');
    expect((await b.runtime.state('life')).status).toBe('paused');
    await b.runtime.resume('life');

    await b.runtime.kill('life', 9);
    await waitFor(async () => (await b.runtime.state('life')).status === 'stopped');
    await expect(b.runtime.kill('life', 15)).rejects.toThrow(/not running/);
    await b.runtime.delete('life');
    await expect(b.runtime.state('life')).rejects.toThrow(/does not exist/);
  });

  it('start fails instead of hanging when the created process died', async () => {
    await b.write((s) => (s.process!.args = ['true']));
    const launched = await b.runtime.create('dead', {
      bundle: b.dir,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    process.kill(launched.pid, 'SIGKILL');
    await expect(b.runtime.start('dead')).rejects.toThrow(/stopped/);
    await b.runtime.delete('dead');
  });

  it('exec joins the namespaces of the running container as the given user', async () => {
    await b.write((s) => (s.process!.args = ['sleep', '60']));
    await b.runtime.create('ex', { bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] });
    await b.runtime.start('ex');
    const out = join(b.dir, 'exec-out');
    const fd = openSync(out, 'w');
    const spec = (await b.runtime.store.load('ex')).spec;
    const launched = await b.runtime.exec(
      'ex',
      {
        ...spec.process!,
        args: [
          'sh',
          '-c',
          'hostname; id -u; cat /proc/1/cmdline | tr "\\0" " "; echo; ls /proc/$$/fd; true',
        ],
        user: { uid: 33, gid: 33 },
      },
      { stdio: ['ignore', fd, fd] },
    );
    expect(await launched.exited).toBe(0);
    closeSync(fd);
    const phases = launched.times.map((t) => t.phase);
    expect(phases).toEqual(
      expect.arrayContaining([
        'begin',
        'spawn',
        'cgroup',
        'namespaces.join',
        'sync',
        'exec_lookup',
      ]),
    );
    expect(launched.times.every((t, i, all) => i === 0 || t.ns >= all[i - 1]!.ns)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('berth\n33\nsleep 60 \n0\n1\n2\n');
    await b.runtime.delete('ex', true);
  });

  it('runs all six kinds of hooks with the state on stdin', async () => {
    const log = join(b.dir, 'hooks.log');
    const hook = join(b.dir, 'hook.sh');
    await writeFile(
      hook,
      `#!/bin/busybox sh\nread -r state\necho "$1 $(echo "$state" | grep -o '"status":"[a-z]*"')" >>${log}\n`,
    );
    await chmod(hook, 0o755);
    // createContainer (before pivot_root) and startContainer run in the container's mount
    // namespace; the hook records which one it saw.
    await writeFile(
      join(b.rootfs, 'hook.sh'),
      `#!/bin/busybox sh\nread -r state\nreadlink /proc/self/ns/mnt >"$1"\n`,
    );
    await chmod(join(b.rootfs, 'hook.sh'), 0o755);
    await writeFile(log, '');
    const host = (name: string) => ({ path: hook, args: ['hook.sh', name] });
    const seenByCreateContainer = join(b.dir, 'createContainer.ns');
    const r = await b.run('hooks', (s) => {
      s.process!.args = ['sh', '-c', 'cat /tmp/startContainer; readlink /proc/self/ns/mnt'];
      s.hooks = {
        prestart: [host('prestart')],
        createRuntime: [host('createRuntime')],
        createContainer: [
          { path: join(b.rootfs, 'hook.sh'), args: ['hook.sh', seenByCreateContainer] },
        ],
        startContainer: [{ path: '/hook.sh', args: ['hook.sh', '/tmp/startContainer'] }],
        poststart: [host('poststart')],
        poststop: [host('poststop')],
      };
    });
    const [atStart, own] = r.output.trim().split('\n');
    expect(own).toMatch(/^mnt:\[\d+\]$/);
    expect(atStart).toBe(own);
    expect((await readFile(seenByCreateContainer, 'utf8')).trim()).toBe(own);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([
      'prestart "status":"created"',
      'createRuntime "status":"created"',
      'poststart "status":"running"',
      'poststop "status":"stopped"',
    ]);
  });

  it('fails create when a hook fails, leaving nothing behind', async () => {
    await expect(
      b.run('badhook', (s) => {
        s.hooks = { createRuntime: [{ path: '/bin/false' }] };
      }),
    ).rejects.toThrow(/hook \/bin\/false exited with status 1/);
    expect(await b.runtime.store.list()).toEqual([]);
  });

  it('loads the seccomp profile (errno, allow-by-argument, kill)', async () => {
    const r = await b.run('seccomp', (s) => {
      s.process!.args = [
        'sh',
        '-c',
        'mkdir /tmp/d || echo mkdir-denied; uname -s >/dev/null && echo uname-ok; chmod 600 /tmp 2>&1; echo done',
      ];
      s.linux!.seccomp = {
        defaultAction: 'SCMP_ACT_ALLOW',
        architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [
          { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
          {
            names: ['fchmodat', 'chmod'],
            action: 'SCMP_ACT_ERRNO',
            errnoRet: 13,
            args: [{ index: 1, value: 0o600, op: 'SCMP_CMP_EQ' }],
          },
        ],
      };
    });
    expect(r.output).toContain('mkdir-denied');
    expect(r.output).toContain('uname-ok');
    expect(r.output).toMatch(/chmod.*Permission denied\ndone/);
  });

  it('sends the pty master over the console socket and sets its size', async () => {
    const cons = await listenConsole(b.dir);
    try {
      await b.write((s) => {
        s.process!.terminal = true;
        s.process!.consoleSize = { height: 33, width: 99 };
        s.process!.args = ['sh', '-c', 'tty; stty size'];
      });
      const launched = await b.runtime.create('tty', {
        bundle: b.dir,
        consoleSocket: cons.path,
        foreground: true,
      });
      await b.runtime.start('tty');
      expect(await launched.exited).toBe(0);
      const { name, output } = await cons.session;
      expect(name).toMatch(/^\/dev\/pts\/\d+$/);
      expect(output).toBe(`${name}\r\n33 99\r\n`);
      await b.runtime.delete('tty');
    } finally {
      cons.close();
    }
  });

  it('refuses a terminal without a console socket, as runc', async () => {
    await expect(b.run('notty', (s) => (s.process!.terminal = true))).rejects.toThrow(
      /console socket/,
    );
  });

  it('runs without pivot_root (MS_MOVE + chroot) when asked', async () => {
    const { Runtime } = await import('../../src/index');
    const runtime = new Runtime({ root: b.root, noPivot: true });
    await b.write(
      (s) => (s.process!.args = ['sh', '-c', 'readlink /proc/1/root; ls /bin/busybox']),
    );
    const fd = openSync(b.out, 'w');
    const code = await (
      await runtime.run('nopivot', { bundle: b.dir, stdio: ['ignore', fd, fd] })
    ).exited;
    closeSync(fd);
    expect(code).toBe(0);
    expect(readFileSync(b.out, 'utf8')).toBe('/\n/bin/busybox\n');
  });
});
