// The client against real registries run as child processes: berth-registry (push and pull
// of a test image, cross-repository mount, htpasswd Basic auth, the built-in token issuer, TLS
// with a self-signed CA) and upstream distribution 2.8 (push, mount, pull, htpasswd).
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestImages, type TestImage } from '@berth/test-images';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RegistryClient,
  RegistryError,
  UnauthorizedError,
  mapLimited,
  type ClientOptions,
  type ImageManifest,
} from '../src';
import {
  buildRegistry,
  selfSignedCert,
  startBerthRegistry,
  startUpstreamRegistry,
  type RegistryFlags,
  type RunningRegistry,
} from '@berth/test-peers';

const USERS = { alice: 'wonderland' };
const ALICE = { username: 'alice', password: 'wonderland' };

let image: TestImage;
let manifestBytes: Buffer;
let manifest: ImageManifest;
const blobPath = (digest: string) => join(image.ociLayout, 'blobs/sha256', digest.slice(7));

beforeAll(async () => {
  buildRegistry();
  image = (await ensureTestImages(['multi'])).multi!;
  manifestBytes = await readFile(blobPath(image.manifestDigest));
  manifest = JSON.parse(manifestBytes.toString('utf8')) as ImageManifest;
}, 120_000);

async function withRegistry(
  flags: RegistryFlags,
  options: (reg: RunningRegistry) => ClientOptions,
  fn: (client: RegistryClient, reg: RunningRegistry) => Promise<void>,
  start: (flags: RegistryFlags) => Promise<RunningRegistry> = startBerthRegistry,
) {
  const reg = await start(flags);
  const client = new RegistryClient(options(reg));
  try {
    await fn(client, reg);
  } finally {
    await client.close();
    await reg.stop();
  }
}

/** Pushes the test image's config, layers (streamed, 3 at a time) and manifest. */
async function pushImage(client: RegistryClient, name: string, tag: string) {
  const repo = client.repository(name);
  const results = await mapLimited(manifest.layers, 3, (layer) =>
    repo.pushBlob(layer, () => createReadStream(blobPath(layer.digest))),
  );
  const config = await readFile(blobPath(manifest.config.digest));
  results.push(await repo.pushBlob(manifest.config, () => config));
  const digest = await repo.pushManifest(tag, manifestBytes, manifest.mediaType ?? '');
  return { results, digest };
}

async function pullImage(client: RegistryClient, name: string, tag: string) {
  const repo = client.repository(name);
  const { descriptor, bytes } = await repo.resolve(tag);
  const pulled = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  const layers = await mapLimited(pulled.layers, 3, async (layer) => {
    const chunks: Buffer[] = [];
    for await (const chunk of await repo.fetchBlob(layer)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  });
  return { descriptor, layers, config: await repo.fetchBlobBuffer(pulled.config) };
}

describe('against berth-registry', () => {
  it('pushes an image, pulls it back byte for byte, mounts across repositories', async () => {
    await withRegistry(
      {},
      () => ({}),
      async (client, reg) => {
        const first = await pushImage(client, `${reg.host}/berth/multi`, 'v1');
        expect(first.digest).toBe(image.manifestDigest);
        expect(first.results.every((r) => r === 'pushed')).toBe(true);
        const again = await pushImage(client, `${reg.host}/berth/multi`, 'v2');
        expect(again.results.every((r) => r === 'exists')).toBe(true);
        const repo = client.repository(`${reg.host}/other/multi`);
        const layer = manifest.layers[0]!;
        expect(
          await repo.pushBlob(layer, () => createReadStream(blobPath(layer.digest)), {
            mountFrom: 'berth/multi',
          }),
        ).toBe('mounted');
        const pulled = await pullImage(client, `${reg.host}/berth/multi`, 'v1');
        expect(pulled.descriptor.digest).toBe(image.manifestDigest);
        for (const [i, data] of pulled.layers.entries()) {
          expect(data.equals(await readFile(blobPath(manifest.layers[i]!.digest)))).toBe(true);
        }
        expect(await client.repository(`${reg.host}/berth/multi`).tags()).toEqual(['v1', 'v2']);
        const missing = client.repository(`${reg.host}/berth/missing`);
        await expect(missing.resolve('v1')).rejects.toMatchObject({ notFoundOrDenied: true });
        await expect(missing.tags()).rejects.toMatchObject({ code: 'NAME_UNKNOWN' });
      },
    );
  });

  it('logs in and pushes with htpasswd Basic auth; refuses wrong and missing credentials', async () => {
    await withRegistry(
      { users: USERS },
      () => ({ credentials: () => ALICE }),
      async (client, reg) => {
        await client.login(`http://${reg.host}`);
        await pushImage(client, `${reg.host}/berth/multi`, 'v1');
        expect((await pullImage(client, `${reg.host}/berth/multi`, 'v1')).descriptor.digest).toBe(
          image.manifestDigest,
        );
        const wrong = new RegistryClient({ credentials: () => ({ ...ALICE, password: 'no' }) });
        const anonymous = new RegistryClient();
        try {
          await expect(wrong.login(reg.host)).rejects.toThrow(
            `login attempt to http://${reg.host}/v2/ failed with status: 401 Unauthorized`,
          );
          await expect(
            anonymous.repository(`${reg.host}/berth/multi`).resolve('v1'),
          ).rejects.toBeInstanceOf(RegistryError);
        } finally {
          await wrong.close();
          await anonymous.close();
        }
      },
    );
  });

  it('pushes and pulls with tokens from the built-in issuer', async () => {
    await withRegistry(
      { users: USERS, token: true },
      () => ({ credentials: () => ALICE }),
      async (client, reg) => {
        await client.login(reg.host);
        await pushImage(client, `${reg.host}/berth/multi`, 'v1');
        const pulled = await pullImage(client, `${reg.host}/berth/multi`, 'v1');
        expect(pulled.descriptor.digest).toBe(image.manifestDigest);
        const wrong = new RegistryClient({ credentials: () => ({ ...ALICE, password: 'no' }) });
        try {
          await expect(wrong.login(reg.host)).rejects.toBeInstanceOf(UnauthorizedError);
        } finally {
          await wrong.close();
        }
      },
    );
  });

  it('talks HTTPS to a registry whose CA it is given, and refuses it otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-distribution-tls-'));
    try {
      const tls = selfSignedCert(dir);
      const ca = await readFile(tls.cert);
      await withRegistry(
        { tls },
        (reg) => ({ ca: { [reg.host]: ca } }),
        async (client, reg) => {
          await pushImage(client, `${reg.host}/berth/multi`, 'v1');
          expect((await pullImage(client, `${reg.host}/berth/multi`, 'v1')).layers.length).toBe(
            manifest.layers.length,
          );
          const untrusting = new RegistryClient({ ca: { 'elsewhere:1': ca } });
          try {
            await expect(
              untrusting.repository(`${reg.host}/berth/multi`).resolve('v1'),
            ).rejects.toThrow();
          } finally {
            await untrusting.close();
          }
        },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('against upstream distribution (Debian docker-registry 2.8)', () => {
  it('pushes, mounts and pulls anonymously', async () => {
    await withRegistry(
      {},
      () => ({}),
      async (client, reg) => {
        const { digest, results } = await pushImage(client, `${reg.host}/berth/multi`, 'v1');
        expect(digest).toBe(image.manifestDigest);
        expect(results.every((r) => r === 'pushed')).toBe(true);
        const layer = manifest.layers[0]!;
        const other = client.repository(`${reg.host}/other/multi`);
        expect(
          await other.pushBlob(layer, () => createReadStream(blobPath(layer.digest)), {
            mountFrom: 'berth/multi',
          }),
        ).toBe('mounted');
        const pulled = await pullImage(client, `${reg.host}/berth/multi`, 'v1');
        expect(pulled.descriptor.digest).toBe(image.manifestDigest);
        expect(await client.repository(`${reg.host}/berth/multi`).tags()).toEqual(['v1']);
      },
      startUpstreamRegistry,
    );
  });

  it('logs in with htpasswd Basic auth and refuses a wrong password', async () => {
    await withRegistry(
      { users: USERS },
      () => ({ credentials: () => ALICE }),
      async (client, reg) => {
        await client.login(reg.host);
        await pushImage(client, `${reg.host}/berth/multi`, 'v1');
        const wrong = new RegistryClient({ credentials: () => ({ ...ALICE, password: 'no' }) });
        try {
          await expect(wrong.login(reg.host)).rejects.toThrow(
            `login attempt to http://${reg.host}/v2/ failed with status: 401 Unauthorized`,
          );
        } finally {
          await wrong.close();
        }
      },
      startUpstreamRegistry,
    );
  });
});
