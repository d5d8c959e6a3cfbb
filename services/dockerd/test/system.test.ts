import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/api/app';
import { listenUnix } from '../src/api/listen';
import { systemRoutes } from '../src/api/routes/system';
import { MAX_API_VERSION } from '../src/api/versions';
import { hostFacts } from '../src/system/platform';

const run = promisify(execFile);
let dir: string;
let socket: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-dockerd-'));
  socket = join(dir, 'docker.sock');
  app = createApp({ engineVersion: '0.0.0-test' });
  systemRoutes(app, {
    engineVersion: '0.0.0-test',
    host: hostFacts(),
    componentVersions: async () => [{ Name: 'containerd', Version: '9.9.9' }],
  });
  await listenUnix(app, socket, 'no-such-group-here');
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ socketPath: socket, path, method }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('Engine API negotiation', () => {
  it('answers /_ping with Docker headers, on GET and HEAD', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await get('/_ping', method);
      expect(res.status).toBe(200);
      expect(res.headers['api-version']).toBe(MAX_API_VERSION);
      expect(res.headers['ostype']).toBe('linux');
      expect(res.headers['docker-experimental']).toBe('false');
      if (method === 'GET') expect(res.body).toBe('OK');
    }
  });

  it('serves versioned paths and refuses versions outside the range with Docker wording', async () => {
    expect((await get('/v1.24/version')).status).toBe(200);
    expect((await get(`/v${MAX_API_VERSION}/_ping`)).status).toBe(200);
    const old = await get('/v1.12/version');
    expect(old.status).toBe(400);
    expect(JSON.parse(old.body).message).toMatch(
      /client version 1.12 is too old. Minimum supported API version is 1.24/,
    );
    const tooNew = await get('/v1.99/version');
    expect(tooNew.status).toBe(400);
    expect(JSON.parse(tooNew.body).message).toMatch(/too new/);
  });

  it('answers unknown paths with Docker error shape', async () => {
    const res = await get('/v1.41/nothing/here');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ message: 'page not found' });
  });

  it('makes the socket 0660', () => {
    expect(statSync(socket).mode & 0o777).toBe(0o660);
  });
});

describe('the real docker CLI', () => {
  for (const cli of ['/usr/local/bin/docker', '/usr/bin/docker']) {
    it(`${cli} version shows the server`, async () => {
      const { stdout } = await run(cli, [
        '-H',
        `unix://${socket}`,
        'version',
        '--format',
        '{{json .}}',
      ]);
      const v = JSON.parse(stdout);
      expect(v.Server.Version).toBe('0.0.0-test');
      expect(v.Server.MinAPIVersion).toBe('1.24');
      expect(v.Server.Components.map((c: { Name: string }) => c.Name)).toEqual([
        'Engine',
        'containerd',
      ]);
      // The client negotiated down (20.10 speaks 1.41) or up to the server's maximum.
      expect(Number(v.Client.ApiVersion)).toBeLessThanOrEqual(Number(MAX_API_VERSION));
    });
  }
});
