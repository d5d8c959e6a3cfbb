// Detaching with the detach keys (Ctrl-P Ctrl-Q, or --detach-keys) through the unmodified
// docker CLI on a real TTY, and through the raw API where the daemon watches for the keys:
// the attach ends at once and the container runs on, ready for the next attach. The CLI's
// answer is Docker's (checked against Debian's dockerd 20.10): `docker attach` ends with
// "read escape sequence" and status 1, `docker run -it` quietly with 0.
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { dockerCli } from './helpers/docker-cli';
import { dockerOnPty, type PtySession } from './helpers/pty';
import { startTestDaemon, type TestDaemon } from './helpers/test-daemon';

const SMALL = 'berth.test/small';
const OLD_CLI = '/usr/bin/docker';
const CTRL_P_CTRL_Q = '\x10\x11';

describe('detaching with the detach keys through the docker CLI', { tags: ['kernel'] }, () => {
  let t: TestDaemon;
  let cli: ReturnType<typeof dockerCli>;

  beforeAll(async () => {
    t = await startTestDaemon('detach', { images: ['small'] });
    cli = t.cli;
  }, 60_000);

  afterAll(() => t?.close(), 60_000);

  const running = async (name: string) =>
    (await cli.ok(['inspect', '--format', '{{.State.Running}}', name])).trim();

  /** Types a command into the attached shell and waits for its output on the terminal. */
  const roundTrip = async (session: PtySession, word: string) => {
    session.type(`echo ${word}-$((6*7))\r`);
    await session.waitFor(new RegExp(`${word}-42`));
  };

  /** Sends the keys and expects the CLI to end promptly, with `code`. */
  const detach = async (session: PtySession, keys: string, code: number) => {
    const started = Date.now();
    session.type(keys);
    expect(await session.exited).toBe(code);
    expect(Date.now() - started).toBeLessThan(3000);
  };

  /** POST /containers/{id}/attach taken over as Docker's clients do; the raw TTY stream. */
  const rawAttach = (name: string, query: string) =>
    new Promise<{ status: number; socket?: Duplex; body: string }>((resolve, reject) => {
      const req = request({
        socketPath: t.host.slice('unix://'.length),
        method: 'POST',
        path: `/v1.41/containers/${name}/attach?stream=1&stdin=1&stdout=1&${query}`,
        headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
      });
      req.once('upgrade', (_res, socket: Duplex) => resolve({ status: 101, socket, body: '' }));
      req.once('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.once('error', reject);
      req.end();
    });

  it('detaches `docker attach` (28.2 and 20.10) with Ctrl-P Ctrl-Q, the container running on', async () => {
    await cli.ok(['run', '-dit', '--name', 'det', '--network', 'none', SMALL, 'sh']);
    for (const [word, binary] of [
      ['first', undefined],
      ['second', OLD_CLI],
    ] as const) {
      const session = dockerOnPty(t.host, ['attach', 'det'], binary);
      try {
        await roundTrip(session, word);
        await detach(session, CTRL_P_CTRL_Q, 1);
        expect(session.output()).toContain('read escape sequence');
      } finally {
        session.kill();
      }
      expect(await running('det')).toBe('true');
    }
    // the same shell served both attaches
    expect(await cli.ok(['logs', 'det'])).toMatch(/first-42[\s\S]*second-42/);
  });

  it('detaches with --detach-keys ctrl-x,x, passing Ctrl-P Ctrl-Q on to the process', async () => {
    const session = dockerOnPty(t.host, ['attach', '--detach-keys', 'ctrl-x,x', 'det']);
    try {
      await roundTrip(session, 'custom');
      // ordinary input under other detach keys (ash's line editor takes Ctrl-P as "previous")
      session.type(CTRL_P_CTRL_Q);
      await roundTrip(session, 'still');
      await detach(session, '\x18x', 1);
    } finally {
      session.kill();
    }
    expect(await running('det')).toBe('true');
  });

  it('detaches `docker run -it` with Ctrl-P Ctrl-Q, keeping its shell for the next attach', async () => {
    const args = ['run', '-it', '--name', 'runit', '--network', 'none', SMALL, 'sh'];
    const run = dockerOnPty(t.host, args);
    try {
      await roundTrip(run, 'run');
      await detach(run, CTRL_P_CTRL_Q, 0);
    } finally {
      run.kill();
    }
    // `run -it` attaches with StdinOnce: the client leaving must not close the TTY's input
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await running('runit')).toBe('true');
    const again = dockerOnPty(t.host, ['attach', 'runit']);
    try {
      await roundTrip(again, 'again');
      await detach(again, CTRL_P_CTRL_Q, 1);
    } finally {
      again.kill();
    }
    await cli.ok(['rm', '-f', 'runit']);
  });

  it('ends a raw API attach at its detachKeys in the daemon, with a detach event', async () => {
    const since = (Date.now() / 1000).toFixed(3);
    const { socket } = await rawAttach('det', 'detachKeys=ctrl-x,x');
    let shown = '';
    socket!.on('data', (c: Buffer) => (shown += c.toString()));
    const ended = new Promise<void>((resolve) => socket!.once('end', resolve));
    socket!.write('echo raw-$((6*7))\r');
    await expect.poll(() => shown).toMatch(/raw-42/);
    // split across writes: the daemon holds the first key until it sees the second
    socket!.write('\x18');
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket!.write('x');
    await ended;
    socket!.destroy();
    expect(await running('det')).toBe('true');
    const events = await cli.ok([
      ...['events', '--since', since, '--until', (Date.now() / 1000 + 1).toFixed(3)],
      ...['--filter', 'container=det', '--format', '{{.Action}}'],
    ]);
    expect(events).toBe('attach\ndetach\n');
  });

  it("refuses detach keys it cannot read, with Docker's messages", async () => {
    expect(await rawAttach('det', 'detachKeys=ctrl-')).toMatchObject({
      status: 400,
      body: JSON.stringify({ message: 'Invalid detach keys (ctrl-) provided' }),
    });
    const exec = await cli.docker(['exec', '-d', '--detach-keys', 'ctrl-1', 'det', 'true']);
    expect(exec.code).toBe(1);
    expect(exec.stderr).toBe('Error response from daemon: Invalid escape keys (ctrl-1) provided\n');
    await cli.ok(['rm', '-f', 'det']);
  });
});
