// Test harness: a registry on an ephemeral loopback port over a temporary root, plus small
// client helpers that speak the distribution API with fetch.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG, type RegistryConfig } from '../src/config';
import { createRegistry, type Registry } from '../src/server';

export interface TestRegistry extends Registry {
  url: string;
  root: string;
  close(): Promise<void>;
}

export async function startRegistry(
  overrides: Partial<RegistryConfig> = {},
): Promise<TestRegistry> {
  const root = await mkdtemp(join(tmpdir(), 'berth-registry-test-'));
  const config: RegistryConfig = { ...DEFAULT_CONFIG, root, ...overrides };
  const registry = await createRegistry(config, pino({ level: 'silent' }));
  await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const address = registry.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    ...registry,
    url: `http://127.0.0.1:${address.port}`,
    root,
    close: async () => {
      await registry.app.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export async function pushBlob(url: string, repo: string, data: Buffer | string): Promise<string> {
  const digest = sha256(data);
  const res = await fetch(`${url}/v2/${repo}/blobs/uploads/?digest=${digest}`, {
    method: 'POST',
    body: data,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  if (res.status !== 201) throw new Error(`push blob: ${res.status} ${await res.text()}`);
  return digest;
}

export interface TestImage {
  manifest: Buffer;
  digest: string;
  config: string;
  layers: string[];
}

/** Pushes config + layers and returns an OCI manifest for them (not yet pushed). */
export async function makeImage(
  url: string,
  repo: string,
  seed: string,
  extra: Record<string, unknown> = {},
): Promise<TestImage> {
  const configBytes = JSON.stringify({ architecture: 'amd64', os: 'linux', seed });
  const layerBytes = `layer of ${seed}`;
  const config = await pushBlob(url, repo, configBytes);
  const layer = await pushBlob(url, repo, layerBytes);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: config,
        size: configBytes.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: layer,
          size: layerBytes.length,
        },
      ],
      ...extra,
    }),
  );
  return { manifest, digest: sha256(manifest), config, layers: [layer] };
}

export async function putManifest(
  url: string,
  repo: string,
  reference: string,
  body: Buffer | string,
  mediaType = 'application/vnd.oci.image.manifest.v1+json',
): Promise<Response> {
  return fetch(`${url}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': mediaType },
  });
}

/** Every file below `dir` (relative paths), to prove that nothing was stored. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: { code: string }[] };
  return body.errors?.[0]?.code;
}
