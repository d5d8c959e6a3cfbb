import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadBusybox, type Busybox } from './busybox';
import { writeDockerArchive } from './docker-archive';
import { DEFAULT_IMAGE_NAMES, imageSpec, type TestImageName } from './images/catalog';
import type { LayerSpec } from './images/spec';
import { writeLayerBlob } from './layer/layer-blob';
import { writeOciLayout, type BuiltLayer } from './oci-layout';
import { REF_NAMESPACE, REF_TAG } from './reproducible';

export interface TestImageLayer {
  digest: string;
  size: number;
  diffId: string;
}

export interface TestImage {
  name: TestImageName;
  /** e.g. berth.test/small:latest: RepoTags in the docker archive, io.containerd.image.name. */
  ref: string;
  /** OCI image layout directory; its index.json names the image by `tag`. */
  ociLayout: string;
  tag: string;
  /** `docker save`-format tarball of the same image (uncompressed layers). */
  dockerArchive: string;
  /** Digest of the OCI manifest (gzip layers), as a registry would serve it. */
  manifestDigest: string;
  configDigest: string;
  layers: TestImageLayer[];
}

export type TestImages = Partial<Record<TestImageName, TestImage>>;

export interface BuildOptions {
  /** The busybox-static binary to build from (default /bin/busybox). */
  busybox?: string;
}

/** Where each image lives below the build directory, and the record describing it. */
export const IMAGE_FILES = {
  oci: 'oci',
  dockerArchive: 'docker-archive.tar',
  record: 'image.json',
};

/**
 * Builds the named images (default: all but `big`) into `outDir/<name>/`: an OCI layout in
 * `oci/`, a docker archive, and `image.json` describing both with paths relative to the
 * image directory, replacing earlier builds there. Layers shared between images (the
 * busybox base) are built once.
 */
export async function buildTestImages(
  outDir: string,
  names: readonly string[] = DEFAULT_IMAGE_NAMES,
  options: BuildOptions = {},
): Promise<TestImages> {
  return buildImages(outDir, names, await loadBusybox(options.busybox));
}

/** {@link buildTestImages} for a busybox already loaded (and hashed) by the caller. */
export async function buildImages(
  outDir: string,
  names: readonly string[],
  busybox: Busybox,
): Promise<TestImages> {
  const specs = names.map(imageSpec);
  const root = resolve(outDir);
  await mkdir(root, { recursive: true });
  const staging = await mkdtemp(join(root, '.layers-'));
  try {
    const layers = new LayerCache(busybox, staging);
    const images: TestImages = {};
    for (const spec of specs) {
      const built: BuiltLayer[] = [];
      for (const layer of spec.layers) built.push(await layers.get(layer));
      images[spec.name] = await writeImage(join(root, spec.name), spec.name, busybox, built);
    }
    return images;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeImage(
  dir: string,
  name: TestImageName,
  busybox: Busybox,
  layers: BuiltLayer[],
): Promise<TestImage> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const repository = `${REF_NAMESPACE}/${name}`;
  const oci = await writeOciLayout(
    join(dir, IMAGE_FILES.oci),
    `${repository}:${REF_TAG}`,
    busybox.architecture,
    layers,
  );
  await writeDockerArchive(join(dir, IMAGE_FILES.dockerArchive), repository, oci, layers);
  const record: TestImage = {
    name,
    ref: `${repository}:${REF_TAG}`,
    ociLayout: IMAGE_FILES.oci,
    tag: REF_TAG,
    dockerArchive: IMAGE_FILES.dockerArchive,
    manifestDigest: oci.manifest.digest,
    configDigest: oci.config.digest,
    layers: layers.map(({ digest, size, diffId }) => ({ digest, size, diffId })),
  };
  await writeFile(join(dir, IMAGE_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
  return withAbsolutePaths(record, dir);
}

/** image.json stores paths relative to its directory so the directory can be renamed. */
export function withAbsolutePaths(record: TestImage, dir: string): TestImage {
  return {
    ...record,
    ociLayout: join(dir, record.ociLayout),
    dockerArchive: join(dir, record.dockerArchive),
  };
}

/** Builds each distinct layer once per run, however many images share it. */
class LayerCache {
  private readonly built = new Map<string, Promise<BuiltLayer>>();

  constructor(
    private readonly busybox: Busybox,
    private readonly blobsDir: string,
  ) {}

  get(spec: LayerSpec): Promise<BuiltLayer> {
    let layer = this.built.get(spec.id);
    if (!layer) {
      layer = this.build(spec);
      this.built.set(spec.id, layer);
    }
    return layer;
  }

  private async build(spec: LayerSpec): Promise<BuiltLayer> {
    const entries = spec.entries(this.busybox);
    const blob = await writeLayerBlob(entries, this.blobsDir, spec.gzipLevel ?? 6);
    return { ...blob, description: spec.description };
  }
}
