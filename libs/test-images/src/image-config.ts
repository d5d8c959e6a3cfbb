import { ANNOTATION, MEDIA_TYPE } from './media-types';
import { DEFAULT_PATH, FIXED_MTIME, REF_TAG } from './reproducible';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}

export interface ConfigLayer {
  diffId: string;
  description: string;
}

/** The image config: what `docker inspect` shows and what runtimes start from. */
export function imageConfig(architecture: string, layers: readonly ConfigLayer[]) {
  const created = FIXED_MTIME.toISOString();
  return {
    created,
    architecture,
    os: 'linux',
    config: { Env: [DEFAULT_PATH], Cmd: ['sh'], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history: layers.map((layer) => ({
      created,
      created_by: `berth-test-images: ${layer.description}`,
    })),
  };
}

export function imageManifest(config: Descriptor, layers: readonly Descriptor[]) {
  return { schemaVersion: 2, mediaType: MEDIA_TYPE.manifest, config, layers };
}

/** An index naming one manifest the way `skopeo copy … oci:dir:tag` and docker save do. */
export function imageIndex(manifest: Descriptor, ref: string) {
  const named: Descriptor = {
    ...manifest,
    annotations: { [ANNOTATION.containerdImageName]: ref, [ANNOTATION.refName]: REF_TAG },
  };
  return { schemaVersion: 2, mediaType: MEDIA_TYPE.index, manifests: [named] };
}

export const OCI_LAYOUT_FILE = { imageLayoutVersion: '1.0.0' };

/** Canonical bytes of a JSON document: key order as constructed, no whitespace. */
export const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
