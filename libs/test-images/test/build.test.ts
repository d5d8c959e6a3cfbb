import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestImages,
  DEFAULT_IMAGE_NAMES,
  HOSTILE_LONG_PATH,
  INDEX_HTML,
  MANY_EXTRA_LAYERS,
  MULTI_CHANGED_INDEX_HTML,
  NET_BIND_SERVICE_CAPABILITY,
  TEST_IMAGE_NAMES,
  type TestImage,
  type TestImages,
} from '../src/index';
import { readJson, readTar, run, scratchDir } from './helpers';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const blob = (layout: string, digest: string) => join(layout, 'blobs', 'sha256', digest.slice(7));

interface Manifest {
  mediaType: string;
  config: { digest: string; size: number; mediaType: string };
  layers: { digest: string; size: number; mediaType: string }[];
}

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let images: TestImages;
let buildMs = 0;

const image = (name: keyof TestImages): TestImage => {
  const found = images[name];
  if (!found) throw new Error(`${name} was not built`);
  return found;
};

/** Files of the image's final filesystem view, applying whiteouts the way a snapshotter does. */
async function flatten(img: TestImage): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const layer of img.layers) {
    for (const { header, body } of await readTar(blob(img.ociLayout, layer.digest), true)) {
      const name = header.name.replace(/\/$/, '');
      const base = name.slice(name.lastIndexOf('/') + 1);
      const parent = name.slice(0, name.lastIndexOf('/') + 1);
      if (base === '.wh..wh..opq') {
        // Our layers put the marker before the directory's new entries, so order is enough.
        for (const key of [...files.keys()]) if (key.startsWith(parent)) files.delete(key);
      } else if (base.startsWith('.wh.')) {
        files.delete(`${parent}${base.slice(4)}`);
      } else if (header.type === 'file') {
        files.set(name, body);
      }
    }
  }
  return files;
}

beforeAll(async () => {
  scratch = await scratchDir('build');
  const started = performance.now();
  images = await buildTestImages(join(scratch.dir, 'a'));
  buildMs = performance.now() - started;
});
afterAll(() => scratch.cleanup());

describe('buildTestImages', () => {
  it('builds every default image, quickly, and big only on request', () => {
    expect(Object.keys(images).sort()).toEqual([...DEFAULT_IMAGE_NAMES].sort());
    expect(DEFAULT_IMAGE_NAMES).not.toContain('big');
    expect(TEST_IMAGE_NAMES).toContain('big');
    // The brief is < 2 s on an idle machine; the margin absorbs a loaded CI runner.
    expect(buildMs).toBeLessThan(6000);
  });

  it('is deterministic: a second build yields byte-identical layouts and archives', async () => {
    const again = await buildTestImages(join(scratch.dir, 'b'));
    for (const name of DEFAULT_IMAGE_NAMES) {
      const first = image(name);
      const second = again[name]!;
      expect(second.manifestDigest).toBe(first.manifestDigest);
      expect(second.layers).toEqual(first.layers);
      expect(sha256(await readFile(second.dockerArchive))).toBe(
        sha256(await readFile(first.dockerArchive)),
      );
    }
  });

  it('writes a valid OCI layout: every blob matches its digest, index names the tag', async () => {
    for (const name of DEFAULT_IMAGE_NAMES) {
      const img = image(name);
      expect(await readJson(join(img.ociLayout, 'oci-layout'))).toEqual({
        imageLayoutVersion: '1.0.0',
      });
      for (const file of await readdir(join(img.ociLayout, 'blobs', 'sha256'))) {
        expect(sha256(await readFile(join(img.ociLayout, 'blobs', 'sha256', file)))).toBe(
          `sha256:${file}`,
        );
      }
      const index = await readJson<{ manifests: (Manifest['config'] & { annotations: object })[] }>(
        join(img.ociLayout, 'index.json'),
      );
      expect(index.manifests).toHaveLength(1);
      expect(index.manifests[0]).toMatchObject({
        digest: img.manifestDigest,
        annotations: {
          'org.opencontainers.image.ref.name': 'latest',
          'io.containerd.image.name': `berth.test/${name}:latest`,
        },
      });
      const manifest = await readJson<Manifest>(blob(img.ociLayout, img.manifestDigest));
      expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
      expect(manifest.config.digest).toBe(img.configDigest);
      expect(manifest.layers.map((l) => [l.digest, l.size, l.mediaType])).toEqual(
        img.layers.map((l) => [l.digest, l.size, 'application/vnd.oci.image.layer.v1.tar+gzip']),
      );
    }
  });

  it('writes a config whose diff_ids are the digests of the uncompressed layers', async () => {
    const img = image('multi');
    const config = await readJson<{
      architecture: string;
      os: string;
      config: { Cmd: string[]; Env: string[]; WorkingDir: string };
      rootfs: { diff_ids: string[] };
      history: unknown[];
    }>(blob(img.ociLayout, img.configDigest));
    expect(config.os).toBe('linux');
    expect(config.architecture).toBe(process.arch === 'x64' ? 'amd64' : process.arch);
    expect(config.config.Cmd).toEqual(['sh']);
    expect(config.config.WorkingDir).toBe('/');
    expect(config.config.Env[0]).toMatch(/^PATH=.*\/bin/);
    expect(config.history).toHaveLength(img.layers.length);
    const diffIds = await Promise.all(
      img.layers.map(async (l) =>
        sha256(gunzipSync(await readFile(blob(img.ociLayout, l.digest)))),
      ),
    );
    expect(config.rootfs.diff_ids).toEqual(diffIds);
    expect(img.layers.map((l) => l.diffId)).toEqual(diffIds);
  });

  it('has the documented layer counts and shares one base layer', () => {
    const counts = Object.fromEntries(DEFAULT_IMAGE_NAMES.map((n) => [n, image(n).layers.length]));
    expect(counts).toEqual({
      small: 1,
      multi: 4,
      many: 1 + MANY_EXTRA_LAYERS,
      'hostile-unpack': 3,
    });
    const base = image('small').layers[0]!.digest;
    for (const name of DEFAULT_IMAGE_NAMES) expect(image(name).layers[0]!.digest).toBe(base);
  });

  it('small: busybox, one link per applet, passwd/group, /tmp 1777', async () => {
    const img = image('small');
    const members = await readTar(blob(img.ociLayout, img.layers[0]!.digest), true);
    const byName = new Map(members.map((m) => [m.header.name, m]));
    const busybox = await readFile('/bin/busybox');
    expect(byName.get('bin/busybox')?.body.equals(busybox)).toBe(true);
    const { stdout } = await run('/bin/busybox', ['--list']);
    for (const applet of ['sh', 'ls', 'cat', 'echo', 'httpd', 'sleep', 'wget', 'nc', 'id', 'env']) {
      expect(stdout.split('\n')).toContain(applet);
      expect(byName.get(`bin/${applet}`)?.header).toMatchObject({
        type: 'symlink',
        linkname: 'busybox',
      });
    }
    expect(members.filter((m) => m.header.type === 'symlink')).toHaveLength(
      stdout.split('\n').filter((n) => n && n !== 'busybox').length,
    );
    expect(byName.get('etc/passwd')?.body.toString()).toMatch(
      /^root:x:0:0:.*\nnobody:x:65534:65534:/,
    );
    expect(byName.get('etc/group')?.body.toString()).toMatch(/^root:x:0:\nnobody:x:65534:/);
    expect(byName.get('tmp/')?.header.mode).toBe(0o1777);
    expect(byName.get('var/www/index.html')?.body.toString()).toBe(INDEX_HTML);
  });

  it('multi: adds, changes and deletes (by whiteout) files over the base', async () => {
    const files = await flatten(image('multi'));
    expect(files.get('srv/kept.txt')?.toString()).toMatch(/kept/);
    expect(files.has('srv/removed.txt')).toBe(false);
    expect(files.get('var/www/index.html')?.toString()).toBe(MULTI_CHANGED_INDEX_HTML);
  });

  it('many: every extra layer adds its own file', async () => {
    const files = await flatten(image('many'));
    const added = [...files.keys()].filter((f) => f.startsWith('many/'));
    expect(added).toHaveLength(MANY_EXTRA_LAYERS);
    expect(files.get('many/file-100')?.toString()).toBe('layer 100\n');
  });

  it('hostile-unpack: special files, xattrs and long names; whiteout and opaque apply', async () => {
    const img = image('hostile-unpack');
    const members = await readTar(blob(img.ociLayout, img.layers[1]!.digest), true);
    const header = (name: string) => members.find((m) => m.header.name === name)?.header;
    expect(header('hostile/setuid')?.mode).toBe(0o4755);
    expect(header('hostile/char-null')).toMatchObject({
      type: 'character-device',
      devmajor: 1,
      devminor: 3,
    });
    expect(header('hostile/block-loop0')?.type).toBe('block-device');
    expect(header('hostile/fifo')?.type).toBe('fifo');
    expect(header('hostile/subdir/hardlink-other-dir')).toMatchObject({
      type: 'link',
      linkname: 'hostile/hardlink-target',
    });
    expect(header('hostile/absolute-symlink')?.linkname).toBe('/bin/busybox');
    expect(header('hostile/userns-owner')).toMatchObject({ uid: 100000, gid: 100000 });
    expect(header(HOSTILE_LONG_PATH)?.type).toBe('file');
    expect(header('hostile/capability')?.pax).toMatchObject({
      'SCHILY.xattr.security.capability': NET_BIND_SERVICE_CAPABILITY.toString('latin1'),
    });
    const files = await flatten(img);
    expect(files.has('hostile/to-delete')).toBe(false);
    expect([...files.keys()].filter((f) => f.startsWith('hostile/opaque/'))).toEqual([
      'hostile/opaque/visible',
    ]);
  });

  it('writes a docker-save archive: manifest.json, repositories, config and layer tars', async () => {
    const img = image('multi');
    const members = await readTar(img.dockerArchive);
    const byName = new Map(members.map((m) => [m.header.name, m.body]));
    const manifest = JSON.parse(byName.get('manifest.json')!.toString()) as {
      Config: string;
      RepoTags: string[];
      Layers: string[];
    }[];
    expect(manifest).toEqual([
      {
        Config: `blobs/sha256/${img.configDigest.slice(7)}`,
        RepoTags: ['berth.test/multi:latest'],
        Layers: img.layers.map((l) => `blobs/sha256/${l.diffId.slice(7)}`),
      },
    ]);
    for (const layer of manifest[0]!.Layers)
      expect(sha256(byName.get(layer)!)).toBe(`sha256:${layer.slice(13)}`);
    expect(JSON.parse(byName.get('repositories')!.toString())).toEqual({
      'berth.test/multi': { latest: img.layers.at(-1)!.diffId.slice(7) },
    });
    expect(
      members.every((m) => m.header.uid === 0 && m.header.mtime.getTime() === Date.UTC(2024, 0, 1)),
    ).toBe(true);
  });

  it('rejects unknown image names before writing anything', async () => {
    await expect(buildTestImages(join(scratch.dir, 'bad'), ['small', 'nope'])).rejects.toThrow(
      /unknown test image "nope"/,
    );
    await expect(readdir(join(scratch.dir, 'bad'))).rejects.toThrow(/ENOENT/);
  });
});
