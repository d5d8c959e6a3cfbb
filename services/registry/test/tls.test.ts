import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from '@berth/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from './helpers';

let dir: string;
let reg: TestRegistry;
let cert: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-registry-tls-'));
  const { cert: certPath, key: keyPath } = selfSignedCert(dir);
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
