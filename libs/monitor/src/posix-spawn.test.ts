import { describe, expect, it } from 'vitest';
import { runCaptured } from './posix-spawn';

const sh = (script: string, stdin = '', env: NodeJS.ProcessEnv = process.env) =>
  runCaptured('sh', ['-c', script], { cwd: '/tmp', env, stdin: Buffer.from(stdin) });

describe('runCaptured (posix_spawn)', () => {
  it('feeds stdin, collects stdout and stderr apart, and reports the exit code', async () => {
    const run = await sh('cat; echo oops >&2; exit 3', 'hello');
    expect(run).toEqual({ status: 3, stdout: Buffer.from('hello'), stderr: Buffer.from('oops\n') });
  });

  it('runs in cwd with exactly the given environment, looked up on PATH', async () => {
    const run = await sh('pwd; echo "$ONLY" "${HOME-unset}"', '', {
      PATH: process.env.PATH,
      ONLY: 'x',
    });
    expect(run.stdout.toString()).toBe('/tmp\nx unset\n');
  });

  it('gives the child default signal dispositions (Node ignores SIGPIPE) and reports signals', async () => {
    expect((await sh('kill -PIPE $$')).status).toBe(128 + 13);
    expect((await sh('kill -TERM $$')).status).toBe(128 + 15);
  });

  it('does not fail when the child leaves a large stdin unread', async () => {
    const run = await sh('exit 0', 'x'.repeat(1 << 20));
    expect(run.status).toBe(0);
  });

  it('rejects with ENOENT for a command that is not on PATH', async () => {
    await expect(
      runCaptured('berth-no-such-shim', [], { cwd: '/', env: process.env, stdin: Buffer.alloc(0) }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('kills a child that outlives timeoutMs, without waiting for output its children hold', async () => {
    const started = Date.now();
    const run = await runCaptured('sh', ['-c', 'echo early; sleep 3 & exec sleep 30'], {
      env: process.env,
      timeoutMs: 200,
    });
    expect(run).toMatchObject({ status: 128 + 9, timedOut: true });
    expect(run.stdout.toString()).toBe('early\n');
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
