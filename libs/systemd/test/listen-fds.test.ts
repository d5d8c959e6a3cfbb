import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenFds, parseListenFds, selectListenFds } from '../src/index';
import { bundleFixture, fixtureEnv, text } from './bundle';

describe('parseListenFds', () => {
  it('describes fds from 3 with their names', () => {
    const env = { LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'docker.socket:metrics' };
    expect(parseListenFds(env, 42)).toEqual([
      { fd: 3, name: 'docker.socket' },
      { fd: 4, name: 'metrics' },
    ]);
    expect(parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: '1' }, 42)).toEqual([
      { fd: 3, name: 'unknown' },
    ]);
  });

  it('ignores fds meant for another process and an absent LISTEN_PID', () => {
    expect(parseListenFds({ LISTEN_PID: '41', LISTEN_FDS: '1' }, 42)).toEqual([]);
    expect(parseListenFds({ LISTEN_FDS: '1' }, 42)).toEqual([]);
  });

  it('rejects malformed variables', () => {
    expect(() => parseListenFds({ LISTEN_PID: 'x', LISTEN_FDS: '1' }, 42)).toThrow(/LISTEN_PID/);
    expect(() => parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: '-1' }, 42)).toThrow(/LISTEN_FDS/);
    expect(() =>
      parseListenFds({ LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'a' }, 42),
    ).toThrow(/names 1 sockets/);
  });
});

describe('listenFds', () => {
  it('clears the variables even when they are not for this process', () => {
    const env: NodeJS.ProcessEnv = { LISTEN_PID: '1', LISTEN_FDS: '1', LISTEN_FDNAMES: 'x' };
    expect(listenFds(env, 42)).toEqual([]);
    expect(env).toEqual({});
  });
});

describe('selectListenFds', () => {
  const fds = [
    { fd: 3, name: 'berth-docker.socket' },
    { fd: 4, name: 'metrics' },
  ];
  it('selects all, by number or by name, as dockerd reads fd://', () => {
    expect(selectListenFds('fd://', fds)).toEqual(fds);
    expect(selectListenFds('fd://4', fds)).toEqual([fds[1]]);
    expect(selectListenFds('fd://berth-docker.socket', fds)).toEqual([fds[0]]);
  });
  it('names what is missing', () => {
    expect(() => selectListenFds('fd://', [])).toThrow(/no sockets found via socket activation/);
    expect(() => selectListenFds('fd://api', fds)).toThrow(/no socket activated for fd:\/\/api/);
    expect(() => selectListenFds('unix:///x', fds)).toThrow(/not an fd:\/\/ address/);
  });
});

// systemd-socket-activate (the systemd package) binds the socket, waits for the first
// connection and execs the server with LISTEN_* set exactly as PID 1 does.
describe('an HTTP server on a socket systemd passed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-listenfds-'));
  let server: string;
  beforeAll(async () => {
    server = await bundleFixture('activated-server', dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is activated by the first request and answers it', async () => {
    const socketPath = join(dir, 'api.sock');
    const activator = spawn(
      'systemd-socket-activate',
      ['-l', socketPath, '--fdname=api', '-E', 'NODE_PATH', process.execPath, server, 'api'],
      { env: fixtureEnv({}), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = once(activator, 'exit');
    // It reports "Listening on …" once the socket is bound.
    await once(activator.stderr!, 'data');

    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ socketPath, path: '/' }, (res) => resolve(text(res)));
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({
      pid: activator.pid, // the activator execs the server: same pid, as LISTEN_PID requires
      fds: [{ fd: 3, name: 'api' }],
      env: [],
      cloexec: true,
    });
    expect(await exited).toEqual([0, null]);
  });
});
