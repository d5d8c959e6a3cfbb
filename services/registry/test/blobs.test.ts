import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCode,
  filesUnder,
  pushBlob,
  sha256,
  startRegistry,
  type TestRegistry,
} from './helpers';

let reg: TestRegistry;
beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await reg.close();
});

async function startUpload(repo: string): Promise<string> {
  const res = await fetch(`${reg.url}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  expect(res.status).toBe(202);
  expect(res.headers.get('docker-upload-uuid')).toMatch(/^[0-9a-f-]{36}$/);
  return res.headers.get('location') ?? '';
}

describe('base endpoint', () => {
  it('answers /v2/ with the API version header', async () => {
    const res = await fetch(`${reg.url}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });
});

describe('blob uploads', () => {
  it('stores a monolithic upload and serves it with HEAD, GET and Range', async () => {
    const digest = await pushBlob(reg.url, 'lib/alpine', 'hello world');
    const head = await fetch(`${reg.url}/v2/lib/alpine/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('11');
    expect(head.headers.get('docker-content-digest')).toBe(digest);
    const get = await fetch(`${reg.url}/v2/lib/alpine/blobs/${digest}`);
    expect(await get.text()).toBe('hello world');
    const part = await fetch(`${reg.url}/v2/lib/alpine/blobs/${digest}`, {
      headers: { Range: 'bytes=6-10' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 6-10/11');
    expect(await part.text()).toBe('world');
    const bad = await fetch(`${reg.url}/v2/lib/alpine/blobs/${digest}`, {
      headers: { Range: 'bytes=20-30' },
    });
    expect(bad.status).toBe(416);
  });

  it('keeps blobs scoped to the repositories that uploaded or mounted them', async () => {
    const digest = await pushBlob(reg.url, 'scoped/a', 'scoped content');
    const other = await fetch(`${reg.url}/v2/scoped/b/blobs/${digest}`, { method: 'HEAD' });
    expect(other.status).toBe(404);
    const mount = await fetch(
      `${reg.url}/v2/scoped/b/blobs/uploads/?mount=${digest}&from=scoped/a`,
      { method: 'POST' },
    );
    expect(mount.status).toBe(201);
    expect(mount.headers.get('location')).toBe(`/v2/scoped/b/blobs/${digest}`);
    const missing = await fetch(
      `${reg.url}/v2/scoped/c/blobs/uploads/?mount=${sha256('nope')}&from=scoped/a`,
      { method: 'POST' },
    );
    expect(missing.status).toBe(202);
  });

  it('accepts chunks in order and refuses an out-of-order chunk with 416', async () => {
    const location = await startUpload('chunked');
    const first = await fetch(`${reg.url}${location}`, {
      method: 'PATCH',
      body: 'abc',
      headers: { 'Content-Range': '0-2', 'Content-Type': 'application/octet-stream' },
    });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-2');
    const skipped = await fetch(`${reg.url}${location}`, {
      method: 'PATCH',
      body: 'xyz',
      headers: { 'Content-Range': '10-12', 'Content-Type': 'application/octet-stream' },
    });
    expect(skipped.status).toBe(416);
    expect(skipped.headers.get('range')).toBe('0-2');
    const status = await fetch(`${reg.url}${location}`);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-2');
    const done = await fetch(`${reg.url}${location}?digest=${sha256('abcdef')}`, {
      method: 'PUT',
      body: 'def',
      headers: { 'Content-Range': '3-5', 'Content-Type': 'application/octet-stream' },
    });
    expect(done.status).toBe(201);
    const get = await fetch(`${reg.url}/v2/chunked/blobs/${sha256('abcdef')}`);
    expect(await get.text()).toBe('abcdef');
  });

  it('verifies sha512 digests', async () => {
    const data = 'sha512 content';
    const digest = `sha512:${createHash('sha512').update(data).digest('hex')}`;
    const res = await fetch(`${reg.url}/v2/five12/blobs/uploads/?digest=${digest}`, {
      method: 'POST',
      body: data,
    });
    expect(res.status).toBe(201);
    expect(await (await fetch(`${reg.url}/v2/five12/blobs/${digest}`)).text()).toBe(data);
  });

  it('refuses a wrong digest and stores nothing', async () => {
    const before = await filesUnder(join(reg.root, 'blobs'));
    const uploadsBefore = await filesUnder(join(reg.root, 'uploads'));
    const res = await fetch(`${reg.url}/v2/wrong/blobs/uploads/?digest=${sha256('other')}`, {
      method: 'POST',
      body: 'actual bytes',
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    expect(await filesUnder(join(reg.root, 'blobs'))).toEqual(before);
    expect(await filesUnder(join(reg.root, 'uploads'))).toEqual(uploadsBefore);
    const malformed = await fetch(`${reg.url}/v2/wrong/blobs/sha256:abc`);
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe('DIGEST_INVALID');
  });

  it('rolls a truncated chunk back so nothing partial is kept', async () => {
    const location = await startUpload('truncated');
    await new Promise<void>((resolve) => {
      const req = request(`${reg.url}${location}`, {
        method: 'PATCH',
        headers: { 'Content-Length': '1000', 'Content-Type': 'application/octet-stream' },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100, 1), () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    // Wait until the server has noticed the disconnect and rolled back.
    let range: string | null = null;
    for (let i = 0; i < 50 && range !== '0-0'; i++) {
      range = (await fetch(`${reg.url}${location}`)).headers.get('range');
      if (range !== '0-0') await new Promise((r) => setTimeout(r, 20));
    }
    expect(range).toBe('0-0');
    const put = await fetch(`${reg.url}${location}?digest=${sha256('whole')}`, {
      method: 'PUT',
      body: 'whole',
    });
    expect(put.status).toBe(201);
  });

  it('handles concurrent uploads of the same blob', async () => {
    const data = Buffer.alloc(1 << 20, 7);
    const digests = await Promise.all(
      Array.from({ length: 6 }, () => pushBlob(reg.url, 'concurrent', data)),
    );
    expect(new Set(digests).size).toBe(1);
    const got = Buffer.from(
      await (await fetch(`${reg.url}/v2/concurrent/blobs/${digests[0]}`)).arrayBuffer(),
    );
    expect(got.equals(data)).toBe(true);
  });

  it('cancels an upload and then forgets it', async () => {
    const location = await startUpload('cancel');
    expect((await fetch(`${reg.url}${location}`, { method: 'DELETE' })).status).toBe(204);
    const again = await fetch(`${reg.url}${location}`);
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('deletes a blob from a repository', async () => {
    const digest = await pushBlob(reg.url, 'deleting', 'to delete');
    const del = await fetch(`${reg.url}/v2/deleting/blobs/${digest}`, { method: 'DELETE' });
    expect(del.status).toBe(202);
    const head = await fetch(`${reg.url}/v2/deleting/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });
});

describe('bad names', () => {
  it.each(['..%2F..%2Fetc', 'UPPER/case', 'a%2F..%2Fb', '_x', 'a//b'])(
    'refuses repository name %s without touching the disk',
    async (name) => {
      const before = await filesUnder(reg.root);
      const res = await fetch(`${reg.url}/v2/${name}/blobs/uploads/?digest=${sha256('x')}`, {
        method: 'POST',
        body: 'x',
      });
      expect([400, 404]).toContain(res.status);
      expect(await filesUnder(reg.root)).toEqual(before);
    },
  );

  it('answers an oversized header without crashing', async () => {
    const res = await fetch(`${reg.url}/v2/`, { headers: { 'X-Big': 'a'.repeat(64 * 1024) } });
    expect(res.status).toBe(431);
    expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);
  });
});
