import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestImages,
  MULTI_CHANGED_INDEX_HTML,
  type TestImage,
  type TestImages,
} from '../src/index';
import { podmanSandbox, type PodmanSandbox } from './podman-sandbox';
import { readJson, run, scratchDir } from './helpers';

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let images: TestImages;
const image = (name: keyof TestImages): TestImage => images[name]!;

beforeAll(async () => {
  scratch = await scratchDir('peers');
  images = await buildTestImages(join(scratch.dir, 'images'), ['small', 'multi', 'hostile-unpack']);
});
afterAll(() => scratch.cleanup());

interface SkopeoInspect {
  Digest: string;
  Layers: string[];
  Architecture: string;
  Os: string;
}

const skopeoInspect = async (ref: string) =>
  JSON.parse((await run('skopeo', ['inspect', ref])).stdout) as SkopeoInspect;

describe('skopeo reads the images', () => {
  it('inspects each OCI layout by tag: manifest digest and gzip layer digests', async () => {
    for (const img of Object.values(images)) {
      const inspected = await skopeoInspect(`oci:${img.ociLayout}:${img.tag}`);
      expect(inspected.Digest).toBe(img.manifestDigest);
      expect(inspected.Layers).toEqual(img.layers.map((l) => l.digest));
      expect(inspected.Os).toBe('linux');
    }
  });

  it('inspects each docker archive (also as an OCI archive): layers are the diff IDs', async () => {
    for (const img of Object.values(images)) {
      const inspected = await skopeoInspect(`docker-archive:${img.dockerArchive}`);
      expect(inspected.Layers).toEqual(img.layers.map((l) => l.diffId));
      // Like `docker save` since v25, the same tarball is also an OCI archive.
      const asOci = await skopeoInspect(`oci-archive:${img.dockerArchive}:${img.tag}`);
      expect(asOci.Layers).toEqual(img.layers.map((l) => l.diffId));
    }
  });

  it('copies an OCI layout to dir: with every blob and the same manifest', async () => {
    const img = image('multi');
    const target = join(scratch.dir, 'copied');
    await run('skopeo', ['copy', '--quiet', `oci:${img.ociLayout}:${img.tag}`, `dir:${target}`]);
    const files = await readdir(target);
    for (const layer of img.layers) expect(files).toContain(layer.digest.slice(7));
    expect(files).toContain(img.configDigest.slice(7));
    const manifest = await readJson<{ layers: { digest: string }[] }>(
      join(target, 'manifest.json'),
    );
    expect(manifest.layers.map((l) => l.digest)).toEqual(img.layers.map((l) => l.digest));
  });
});

describe('podman loads and runs the docker archives', { tags: ['kernel'] }, () => {
  let sandbox: PodmanSandbox | string;
  beforeAll(async () => {
    sandbox = await podmanSandbox();
  });
  afterAll(async () => {
    if (typeof sandbox !== 'string') await sandbox.cleanup();
  });
  const podman = () => {
    if (typeof sandbox === 'string') throw new Error(`podman unusable here: ${sandbox}`);
    return sandbox;
  };

  it('loads every archive under its ref', async () => {
    for (const img of Object.values(images)) {
      expect(await podman().podman('load', '--quiet', '-i', img.dockerArchive)).toContain(img.ref);
    }
  });

  it('runs small: sh -c "echo hi" prints hi', async () => {
    expect(await podman().run(image('small').ref, 'echo hi')).toBe('hi\n');
  });

  it('runs multi: added, changed and whited-out files are as layered', async () => {
    const out = await podman().run(
      image('multi').ref,
      'cat /srv/kept.txt /var/www/index.html; test -e /srv/removed.txt && echo still-there; id -un',
    );
    expect(out).toBe(`kept by the multi image\n${MULTI_CHANGED_INDEX_HTML}root\n`);
  });

  it('runs hostile-unpack: special files, links, owners, whiteout and opaque survive unpacking', async () => {
    const out = await podman().run(
      image('hostile-unpack').ref,
      [
        'cd /hostile',
        'stat -c "%n %F %a %u:%g %h" setuid char-null block-loop0 fifo odd-owner userns-owner hardlink-target',
        'ls opaque',
        'test -e to-delete || echo to-delete-gone',
        'readlink relative-symlink',
        'cat becomes-file becomes-dir/child',
      ].join('; '),
    );
    expect(out.split('\n')).toEqual([
      'setuid regular file 4755 0:0 1',
      'char-null character special file 666 0:0 1',
      'block-loop0 block special file 660 0:0 1',
      'fifo fifo 644 0:0 1',
      'odd-owner regular file 604 4321:8765 1',
      'userns-owner regular file 600 100000:100000 1',
      'hardlink-target regular file 644 0:0 3',
      'visible',
      'to-delete-gone',
      '../bin/busybox',
      'what used to be a directory',
      'inside what used to be a file',
      '',
    ]);
  });
});
