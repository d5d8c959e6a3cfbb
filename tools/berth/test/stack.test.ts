import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probe } from '../src/stack/probe';
import type { ServiceSpec } from '../src/stack/services';
import { down, status, up } from '../src/stack/stack';
import type { StackDirs } from '../src/stack/supervise';

let dir: string;
let dirs: StackDirs;
let savedPath: string | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-stack-'));
  dirs = { runDir: join(dir, 'run'), logDir: join(dir, 'log') };
  savedPath = process.env.PATH;
  process.env.PATH = `${join(dir)}:${savedPath}`;
});

afterEach(async () => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

/** Writes an executable that serves HTTP on a unix socket, answering GET /_ping. */
function fakeService(name: string, socket: string): ServiceSpec {
  const bin = join(dir, name);
  writeFileSync(
    bin,
    `#!/usr/bin/env node
require('node:http').createServer((q, s) => s.end(q.url === '/_ping' ? 'OK' : '')).listen(${JSON.stringify(socket)});
process.on('SIGTERM', () => process.exit(0));
`,
  );
  chmodSync(bin, 0o755);
  return { name, binary: name, probe: { kind: 'http-unix', path: socket, urlPath: '/_ping' } };
}

describe('berth up / status / down', () => {
  it('starts a service detached, waits until its API answers, and stops it', async () => {
    const spec = fakeService('berth-fake-a', join(dir, 'a.sock'));
    const missing: ServiceSpec = {
      name: 'absent',
      binary: 'berth-absent-binary',
      probe: { kind: 'http-unix', path: join(dir, 'none.sock'), urlPath: '/_ping' },
    };
    const result = await up(dirs, 5_000, [spec, missing]);
    expect(result.started).toEqual(['berth-fake-a']);
    expect(result.notInstalled).toEqual(['absent']);

    const [a, absent] = await status(dirs, [spec, missing]);
    expect(a?.state).toBe('ready');
    expect(a?.pid).toBeGreaterThan(0);
    expect(absent?.state).toBe('not installed');

    // A second `up` leaves the running service alone.
    expect((await up(dirs, 5_000, [spec])).alreadyRunning).toEqual(['berth-fake-a']);

    expect(await down(dirs, [spec])).toEqual(['berth-fake-a']);
    expect((await status(dirs, [spec]))[0]?.state).toBe('stopped');
  });

  it('reports a service that exits before answering', async () => {
    const bin = join(dir, 'berth-fake-crash');
    writeFileSync(bin, '#!/bin/sh\necho boom >&2\nexit 1\n');
    chmodSync(bin, 0o755);
    const spec: ServiceSpec = {
      name: 'crash',
      binary: 'berth-fake-crash',
      probe: { kind: 'http-unix', path: join(dir, 'c.sock'), urlPath: '/_ping' },
    };
    await expect(up(dirs, 5_000, [spec])).rejects.toThrow(/exited before it answered/);
  });
});

describe('probes', () => {
  it('recognises a gRPC (HTTP/2) server on a unix socket and nothing else', async () => {
    const socket = join(dir, 'grpc.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(await probe({ kind: 'grpc-unix', path: socket })).toBe(true);
    } finally {
      server.close();
    }
    expect(await probe({ kind: 'grpc-unix', path: join(dir, 'nothing.sock') })).toBe(false);
  });
});
