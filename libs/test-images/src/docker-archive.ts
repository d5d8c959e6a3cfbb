import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { digestHex, sha256Digest } from './digest';
import {
  imageIndex,
  imageManifest,
  jsonBytes,
  OCI_LAYOUT_FILE,
  type Descriptor,
} from './image-config';
import { dir, file, type LayerEntry } from './layer/entries';
import { uncompressedLayer } from './layer/layer-blob';
import { packEntries } from './layer/tar-writer';
import { MEDIA_TYPE } from './media-types';
import type { BuiltLayer, OciImage } from './oci-layout';
import { REF_TAG } from './reproducible';

/**
 * Writes the tarball `docker save` (v25+) writes: uncompressed layers, config and an OCI
 * manifest as blobs, an OCI index.json, plus the manifest.json and repositories files that
 * `docker load`, `podman load` and `skopeo … docker-archive:` read.
 */
export async function writeDockerArchive(
  path: string,
  repository: string,
  image: OciImage,
  layers: readonly BuiltLayer[],
): Promise<void> {
  const { tar, written } = packEntries(archiveEntries(repository, image, layers));
  const tmp = `${path}.tmp`;
  try {
    await Promise.all([pipeline(tar, createWriteStream(tmp)), written]);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

function* archiveEntries(
  repository: string,
  image: OciImage,
  layers: readonly BuiltLayer[],
): Iterable<LayerEntry> {
  const ref = `${repository}:${REF_TAG}`;
  const blobPath = (digest: string) => `blobs/sha256/${digestHex(digest)}`;
  const tarLayers: Descriptor[] = layers.map((layer) => ({
    mediaType: MEDIA_TYPE.layerTar,
    digest: layer.diffId,
    size: layer.diffSize,
  }));
  const manifestBytes = jsonBytes(imageManifest(image.config, tarLayers));
  const manifest = {
    mediaType: MEDIA_TYPE.manifest,
    digest: sha256Digest(manifestBytes),
    size: manifestBytes.length,
  };

  yield dir('blobs');
  yield dir('blobs/sha256');
  const written = new Set<string>();
  for (const layer of layers) {
    if (written.has(layer.diffId)) continue;
    written.add(layer.diffId);
    const body = { size: layer.diffSize, open: () => uncompressedLayer(layer) };
    yield file(blobPath(layer.diffId), body);
  }
  yield file(blobPath(image.config.digest), image.configBytes);
  yield file(blobPath(manifest.digest), manifestBytes);
  yield file('index.json', jsonBytes(imageIndex(manifest, ref)));
  const legacyManifest = [
    {
      Config: blobPath(image.config.digest),
      RepoTags: [ref],
      Layers: layers.map((layer) => blobPath(layer.diffId)),
    },
  ];
  yield file('manifest.json', jsonBytes(legacyManifest));
  yield file('oci-layout', jsonBytes(OCI_LAYOUT_FILE));
  const topLayer = layers.at(-1);
  if (topLayer) {
    yield file(
      'repositories',
      jsonBytes({ [repository]: { [REF_TAG]: digestHex(topLayer.diffId) } }),
    );
  }
}
