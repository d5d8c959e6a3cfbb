// POST /images/load: a docker-archive into containerd, as Docker's containerd image store
// imports it: blobs into content, a Docker schema2 manifest per image with GC references to
// its config and layers, layers unpacked into overlayfs, one image record per RepoTag.
import type { Readable } from 'node:stream';
import { invalidParameter } from '../api/errors';
import type { ContainerdConnection } from '../containerd/connection';
import { bufferChunks, labelBlob, writeBlob } from '../containerd/content';
import { withLease } from '../containerd/leases';
import { layerMediaType, type Compression } from './compression';
import { readDockerArchive } from './docker-archive';
import { manifestGcLabels } from './gc-labels';
import { MediaType, type Descriptor, type ImageConfig, type Manifest } from './media-types';
import { familiarName, normalizedTagged } from './reference';
import type { ImageStore } from './store';
import { SNAPSHOTTER, unpackLayers } from './unpack';

/** One line of the load output stream, e.g. "Loaded image: busybox:latest". */
export type LoadProgress = (line: string) => void;

export async function loadImages(
  connection: ContainerdConnection,
  store: ImageStore,
  body: Readable,
  progress: LoadProgress,
  loaded: (imageId: string) => void = () => undefined,
): Promise<void> {
  await withLease(connection, async (lease) => {
    const archive = await readDockerArchive(body, connection, lease);
    for (const entry of archive.manifest) {
      const config = await archive.store(entry.Config);
      const imageConfig = parseConfig(config.data);
      const diffIds = imageConfig.rootfs?.diff_ids ?? [];
      if (diffIds.length !== entry.Layers.length) {
        throw invalidParameter(
          `invalid archive: ${entry.Config} lists ${diffIds.length} layers, manifest ${entry.Layers.length}`,
        );
      }
      const layers: Descriptor[] = [];
      for (const [i, path] of entry.Layers.entries()) {
        const layer = await archive.store(path);
        if (layer.compression === 'none' && layer.digest !== diffIds[i]) {
          throw invalidParameter(
            `invalid archive: layer ${path} is ${layer.digest}, config says ${diffIds[i]}`,
          );
        }
        await labelBlob(connection, layer.digest, { 'containerd.io/uncompressed': diffIds[i]! });
        layers.push({
          mediaType: loadedLayerType(path, layer.compression),
          digest: layer.digest,
          size: layer.size,
        });
      }
      const chainId = await unpackLayers(connection, layers, diffIds, lease);
      if (chainId) {
        await labelBlob(connection, config.digest, {
          [`containerd.io/gc.ref.snapshot.${SNAPSHOTTER}`]: chainId,
        });
      }
      const target = await writeManifest(connection, lease, {
        schemaVersion: 2,
        mediaType: MediaType.manifest,
        config: { mediaType: MediaType.config, digest: config.digest, size: config.size },
        layers,
      });
      const tags = (entry.RepoTags ?? []).map(normalizedTagged);
      for (const name of tags) {
        await store.setName(name, target);
        progress(`Loaded image: ${familiarName(name)}`);
      }
      if (tags.length === 0) {
        await store.keepUnnamed(target);
        progress(`Loaded image ID: ${config.digest}`);
      }
      loaded(config.digest);
    }
  });
}

function loadedLayerType(path: string, compression: Compression): string {
  const mediaType = layerMediaType(compression, 'docker');
  if (!mediaType)
    throw invalidParameter(`invalid archive: layer ${path}: ${compression} is not supported`);
  return mediaType;
}

function parseConfig(data: Buffer | undefined): ImageConfig {
  try {
    if (!data) throw new Error('config too large');
    return JSON.parse(data.toString('utf8')) as ImageConfig;
  } catch (err) {
    throw invalidParameter(`invalid archive: image config: ${(err as Error).message}`);
  }
}

/** Writes the manifest with labels that make containerd's GC keep what it references. */
export async function writeManifest(
  connection: ContainerdConnection,
  lease: string,
  manifest: Manifest,
): Promise<Descriptor> {
  const blob = await writeBlob(connection, bufferChunks(Buffer.from(JSON.stringify(manifest))), {
    lease,
    labels: manifestGcLabels(manifest),
  });
  return { mediaType: manifest.mediaType ?? MediaType.manifest, ...blob };
}
