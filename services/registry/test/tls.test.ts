import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from './helpers';

const run = promisify(execFile);

let dir: string;
let reg: TestRegistry;
let cert: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-registry-tls-'));
  const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  cert = await readFile(certPath);
  reg = await startRegistry({ tls: { cert: certPath, key: keyPath } });
});
afterAll(async () => {
  await reg.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TLS', () => {
  it('serves the API over HTTPS with the given certificate', async () => {
    const port = new URL(reg.url).port;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/v2/', ca: cert }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/v2/`)).rejects.toThrow();
  });
});
