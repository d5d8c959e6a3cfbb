import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, parseAddr } from '../src/config';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-registry-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('runs on the embedded defaults without arguments', async () => {
    const config = await loadConfig([]);
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.root).toBe('/var/lib/berth/registry');
    expect(config.addr).toBe('127.0.0.1:5000');
  });

  it('lets a config file override defaults and flags override the file', async () => {
    const file = join(dir, 'config.yaml');
    await writeFile(
      file,
      'root: /srv/from-file\naddr: 127.0.0.1:6000\ngc:\n  intervalSeconds: 30\nauth:\n  token:\n    service: svc\n',
    );
    const config = await loadConfig([
      '--config',
      file,
      '--root',
      '/srv/from-flag',
      '--gc-grace',
      '5',
    ]);
    expect(config.root).toBe('/srv/from-flag');
    expect(config.addr).toBe('127.0.0.1:6000');
    expect(config.gc).toEqual({ intervalSeconds: 30, graceSeconds: 5 });
    expect(config.auth.token).toMatchObject({ service: 'svc', issuer: 'berth-registry' });
  });

  it('rejects incomplete or malformed flags', async () => {
    await expect(loadConfig(['--tls-cert', '/x.pem'])).rejects.toThrow(/tls-key/);
    await expect(loadConfig(['--gc-grace', 'soon'])).rejects.toThrow(/seconds/);
    await expect(loadConfig(['--bogus'])).rejects.toThrow();
  });
});

describe('parseAddr', () => {
  it('splits host and port', () => {
    expect(parseAddr('127.0.0.1:5000')).toEqual({ host: '127.0.0.1', port: 5000 });
    expect(parseAddr('[::1]:5001')).toEqual({ host: '::1', port: 5001 });
    expect(parseAddr(':5002')).toEqual({ host: '0.0.0.0', port: 5002 });
    expect(() => parseAddr('nope')).toThrow();
  });
});
