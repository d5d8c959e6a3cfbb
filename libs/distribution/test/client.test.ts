// The client against a fake registry: auth challenges, token caching, registry errors and
// digest verification.
import { afterEach, describe, expect, it } from 'vitest';
import {
  DigestMismatchError,
  RegistryClient,
  RegistryError,
  UnauthorizedError,
  parseChallenges,
  type Credentials,
} from '../src';
import {
  BLOB,
  BLOB_DIGEST,
  MANIFEST,
  MANIFEST_DIGEST,
  PASSWORD,
  USER,
  startFake,
  type FakeOptions,
  type FakeRegistry,
} from './fake-registry';

let fake: FakeRegistry | undefined;
let client: RegistryClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
  client = fake = undefined;
});

async function setup(options: FakeOptions, credentials?: Credentials) {
  fake = await startFake(options);
  client = new RegistryClient({ credentials: () => credentials });
  return { fake, client, repo: client.repository(`${fake.host}/app`) };
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('parseChallenges', () => {
  it('reads several challenges with quoted and escaped parameters', () => {
    expect(
      parseChallenges([
        'Basic realm="Registry Realm", Bearer realm="https://a/token",service="x, \\"y\\"",scope=repository:b:pull',
      ]),
    ).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      {
        scheme: 'bearer',
        params: { realm: 'https://a/token', service: 'x, "y"', scope: 'repository:b:pull' },
      },
    ]);
  });
});

describe('RegistryClient', () => {
  it('resolves a tag and fetches a verified blob without auth', async () => {
    const { repo } = await setup({ auth: 'none' });
    const { descriptor, bytes } = await repo.resolve('v1');
    expect(descriptor).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: MANIFEST_DIGEST,
      size: MANIFEST.length,
    });
    expect(bytes.equals(MANIFEST)).toBe(true);
    const seen: number[] = [];
    const blob = await readAll(
      await repo.fetchBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.length }, (n) =>
        seen.push(n),
      ),
    );
    expect(blob.equals(BLOB)).toBe(true);
    expect(seen.at(-1)).toBe(BLOB.length);
  });

  it('gets an anonymous token per scope and reuses it', async () => {
    const { fake, repo } = await setup({ auth: 'token' });
    await repo.resolve('v1');
    await repo.resolve(MANIFEST_DIGEST);
    expect(fake.tokenRequests).toEqual([{ scopes: ['repository:app:pull'] }]);
  });

  it('sends credentials to the token realm, and reports refused ones', async () => {
    const { fake, repo } = await setup({ auth: 'token' }, { username: USER, password: PASSWORD });
    await repo.resolve('v1');
    expect(fake.tokenRequests).toEqual([{ scopes: ['repository:app:pull'], user: USER }]);
    await client?.close();
    client = new RegistryClient({ credentials: () => ({ username: USER, password: 'wrong' }) });
    await expect(client.repository(`${fake.host}/app`).resolve('v1')).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('answers Basic challenges, and login fails as Docker words it', async () => {
    const { fake, repo } = await setup({ auth: 'basic' }, { username: USER, password: PASSWORD });
    await expect(repo.resolve('v1')).resolves.toBeDefined();
    await expect(client!.login(`http://${fake.host}`)).resolves.toBeUndefined();
    const wrong = new RegistryClient({ credentials: () => ({ username: USER, password: 'x' }) });
    try {
      await expect(wrong.login(fake.host)).rejects.toThrow(
        `login attempt to http://${fake.host}/v2/ failed with status: 401 Unauthorized`,
      );
    } finally {
      await wrong.close();
    }
  });

  it('turns registry error documents into errors worded as Docker prints them', async () => {
    const { repo } = await setup({ auth: 'none' });
    const err = await repo.resolve('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).message).toBe('manifest unknown: manifest unknown');
    expect((err as RegistryError).notFoundOrDenied).toBe(true);
    const other = client!.repository(`${fake!.host}/other`);
    await expect(other.resolve('v1')).rejects.toThrow(
      'name unknown: repository name not known to registry',
    );
  });

  it('refuses a manifest whose digest is not the one claimed', async () => {
    const { repo } = await setup({ auth: 'none', claimDigest: `sha256:${'0'.repeat(64)}` });
    await expect(repo.resolve('v1')).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('resumes a blob download cut by the connection with a Range request', async () => {
    const { fake, repo } = await setup({ auth: 'none', cutBlobAfter: 4 });
    const stream = await repo.fetchBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.length });
    expect((await readAll(stream)).equals(BLOB)).toBe(true);
    expect(fake.blobRanges).toEqual([undefined, 'bytes=4-']);
  });

  it('fails the blob stream when the bytes do not match the digest', async () => {
    const tampered = Buffer.from('layer bytez');
    const { repo } = await setup({ auth: 'none', tamperBlob: tampered });
    const stream = await repo.fetchBlob({ mediaType: 'x', digest: BLOB_DIGEST, size: BLOB.length });
    await expect(readAll(stream)).rejects.toThrow(/digest mismatch/);
  });
});
