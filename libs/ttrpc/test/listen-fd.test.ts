import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { TtrpcClient } from '../src/index';

// Perl (perl-base is Essential on Debian) binds and listens, moves the socket to fd 3 and execs
// node on the bundled fixture, so the server gets nothing but an already listening fd.
const PASS_LISTENER_AS_FD3 =
  // $^F = 3 keeps fd 3 open across exec even when the socket already got that number.
  'use IO::Socket::UNIX; use POSIX; $^F = 3; ' +
  'my $s = IO::Socket::UNIX->new(Local => shift, Listen => 16) or die "listen: $!"; ' +
  'POSIX::dup2(fileno($s), 3) or die "dup2: $!"; exec @ARGV or die "exec: $!";';

describe('listening on an inherited fd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-ttrpc-fd-'));
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves calls on fd 3 and shuts down on SIGTERM', async () => {
    const bundle = join(dir, 'fd-server.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'fixtures', 'fd-server.ts')],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    const socket = join(dir, 'fd.sock');
    child = spawn('perl', ['-e', PASS_LISTENER_AS_FD3, socket, process.execPath, bundle], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const first = await Promise.race([once(child.stdout!, 'data'), exited]);
    expect(String(first[0])).toBe('ready\n');

    const client = await TtrpcClient.connect(socket);
    const pid = Buffer.from(await client.call('test.Fd', 'Pid', new Uint8Array())).toString();
    expect(Number(pid)).toBe(child.pid);

    child.kill('SIGTERM');
    await client.closed; // graceful shutdown closes the idle connection
    expect(await exited).toEqual([0, null]);
  });
});
