// Real, unmodified clients against the registry: skopeo pushes and pulls test images.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTestImages, type TestImage } from '@berth/test-images';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from './helpers';

const run = promisify(execFile);

let reg: TestRegistry;
let work: string;
let images: Record<string, TestImage>;
beforeAll(async () => {
  reg = await startRegistry();
  work = await mkdtemp(join(tmpdir(), 'berth-registry-skopeo-'));
  images = (await ensureTestImages(['small', 'multi'])) as Record<string, TestImage>;
});
afterAll(async () => {
  await reg.close();
  await rm(work, { recursive: true, force: true });
});

function host(): string {
  return reg.url.replace('http://', '');
}

describe('skopeo', () => {
  it.each(['small', 'multi'])('copies the %s image in and out unchanged', async (name) => {
    const image = images[name]!;
    const dest = `docker://${host()}/berth/${name}:v1`;
    await run('skopeo', [
      'copy',
      '--dest-tls-verify=false',
      `oci:${image.ociLayout}:${image.tag}`,
      dest,
    ]);
    const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', '--raw', dest]);
    expect(stdout.length).toBeGreaterThan(0);
    const out = join(work, name);
    await run('skopeo', ['copy', '--src-tls-verify=false', dest, `oci:${out}:v1`]);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    expect(index.manifests[0]?.digest).toBe(image.manifestDigest);
    const tags = await run('skopeo', [
      'list-tags',
      '--tls-verify=false',
      `docker://${host()}/berth/${name}`,
    ]);
    expect(JSON.parse(tags.stdout)).toMatchObject({ Tags: ['v1'] });
  });
});
