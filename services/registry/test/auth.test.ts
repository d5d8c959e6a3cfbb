import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, sha256, startRegistry, type TestRegistry } from './helpers';

let dir: string;
let htpasswd: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-registry-auth-'));
  htpasswd = join(dir, 'htpasswd');
  const alice = bcrypt.hashSync('s3cret', 4);
  // htpasswd -B writes $2y$; both spellings must work.
  const bob = bcrypt.hashSync('pw', 4).replace('$2b$', '$2y$');
  await writeFile(htpasswd, `alice:${alice}\nbob:${bob}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('htpasswd basic auth', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { htpasswd } });
  });
  afterAll(async () => reg.close());

  it('challenges anonymous callers and admits valid users', async () => {
    const anon = await fetch(`${reg.url}/v2/`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Basic realm="berth-registry"');
    expect(await errorCode(anon)).toBe('UNAUTHORIZED');
    const wrong = await fetch(`${reg.url}/v2/`, {
      headers: { Authorization: basic('alice', 'x') },
    });
    expect(wrong.status).toBe(401);
    for (const [user, pw] of [
      ['alice', 's3cret'],
      ['bob', 'pw'],
    ] as const) {
      const ok = await fetch(`${reg.url}/v2/`, { headers: { Authorization: basic(user, pw) } });
      expect(ok.status).toBe(200);
    }
    const push = await fetch(`${reg.url}/v2/a/blobs/uploads/?digest=${sha256('x')}`, {
      method: 'POST',
      body: 'x',
      headers: { Authorization: basic('alice', 's3cret') },
    });
    expect(push.status).toBe(201);
  });
});

describe('token auth', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({
      auth: {
        htpasswd,
        token: { service: 'test-svc', issuer: 'test-issuer', ttlSeconds: 60 },
        access: [
          { account: 'alice', repository: '*', actions: ['pull', 'push'] },
          { account: 'bob', repository: 'bob/*', actions: ['pull', 'push'] },
          { account: 'anonymous', repository: 'public/*', actions: ['pull'] },
        ],
      },
    });
  });
  afterAll(async () => reg.close());

  async function token(scope: string, auth?: string): Promise<string> {
    const res = await fetch(
      `${reg.url}/token?service=test-svc&scope=${encodeURIComponent(scope)}`,
      {
        headers: auth ? { Authorization: auth } : {},
      },
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  it('sends a Bearer challenge naming the needed scope', async () => {
    const res = await fetch(`${reg.url}/v2/bob/app/tags/list`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${reg.url}/token",service="test-svc",scope="repository:bob/app:pull"`,
    );
  });

  it('grants only the scopes the policy allows', async () => {
    const bob = basic('bob', 'pw');
    const own = await token('repository:bob/app:pull,push', bob);
    const upload = await fetch(`${reg.url}/v2/bob/app/blobs/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${own}` },
    });
    expect(upload.status).toBe(202);
    const foreign = await token('repository:alice/app:pull,push', bob);
    const denied = await fetch(`${reg.url}/v2/alice/app/blobs/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${foreign}` },
    });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('gives anonymous callers only what anonymous may do', async () => {
    const anonPublic = await token('repository:public/x:pull,push');
    const pull = await fetch(`${reg.url}/v2/public/x/tags/list`, {
      headers: { Authorization: `Bearer ${anonPublic}` },
    });
    expect(pull.status).toBe(404); // authorized; the repository just does not exist
    const push = await fetch(`${reg.url}/v2/public/x/blobs/uploads/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${anonPublic}` },
    });
    expect(push.status).toBe(401);
  });

  it('refuses wrong passwords at the token endpoint and forged tokens at the API', async () => {
    const res = await fetch(`${reg.url}/token?service=test-svc`, {
      headers: { Authorization: basic('alice', 'nope') },
    });
    expect(res.status).toBe(401);
    const forged = await fetch(`${reg.url}/v2/`, {
      headers: { Authorization: 'Bearer abc.def.ghi' },
    });
    expect(forged.status).toBe(401);
  });
});
