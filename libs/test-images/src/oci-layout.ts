import { link, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestHex, sha256Digest } from './digest';
import {
  imageConfig,
  imageIndex,
  imageManifest,
  jsonBytes,
  OCI_LAYOUT_FILE,
  type ConfigLayer,
  type Descriptor,
} from './image-config';
import type { LayerBlob } from './layer/layer-blob';
import { MEDIA_TYPE } from './media-types';

export interface BuiltLayer extends LayerBlob, ConfigLayer {}

export interface OciImage {
  manifest: Descriptor;
  config: Descriptor;
  configBytes: Buffer;
}

/**
 * Writes an OCI image layout at `dir`: layer blobs are hard-linked from where they were built,
 * config and manifest are written beside them, and index.json names the manifest.
 */
export async function writeOciLayout(
  dir: string,
  ref: string,
  architecture: string,
  layers: readonly BuiltLayer[],
): Promise<OciImage> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const linked = new Set<string>();
  for (const layer of layers) {
    if (linked.has(layer.digest)) continue;
    linked.add(layer.digest);
    await link(layer.path, join(blobs, digestHex(layer.digest)));
  }
  const configBytes = jsonBytes(imageConfig(architecture, layers));
  const config = await writeBlob(blobs, MEDIA_TYPE.config, configBytes);
  const manifest = await writeBlob(
    blobs,
    MEDIA_TYPE.manifest,
    jsonBytes(imageManifest(config, layers.map(gzipDescriptor))),
  );
  const platformManifest = { ...manifest, platform: { architecture, os: 'linux' } };
  await writeFile(join(dir, 'index.json'), jsonBytes(imageIndex(platformManifest, ref)));
  await writeFile(join(dir, 'oci-layout'), jsonBytes(OCI_LAYOUT_FILE));
  return { manifest, config, configBytes };
}

const gzipDescriptor = (layer: LayerBlob): Descriptor => ({
  mediaType: MEDIA_TYPE.layerGzip,
  digest: layer.digest,
  size: layer.size,
});

async function writeBlob(blobs: string, mediaType: string, bytes: Buffer): Promise<Descriptor> {
  const digest = sha256Digest(bytes);
  await writeFile(join(blobs, digestHex(digest)), bytes);
  return { mediaType, digest, size: bytes.length };
}
