// Manifest shapes and media types of the OCI image spec and Docker's schema2.
export const MediaType = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

/** What a pull accepts, in Docker's order of preference. */
export const MANIFEST_ACCEPT = [
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
  MediaType.ociIndex,
  MediaType.ociManifest,
].join(', ');

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export function isIndexType(mediaType: string): boolean {
  return mediaType === MediaType.dockerManifestList || mediaType === MediaType.ociIndex;
}

export function isManifestType(mediaType: string): boolean {
  return mediaType === MediaType.dockerManifest || mediaType === MediaType.ociManifest;
}

const NODE_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/** The platform this process runs on, in OCI terms (linux/amd64 on x64). */
export function hostPlatform(): Platform {
  return { os: process.platform, architecture: NODE_ARCH[process.arch] ?? process.arch };
}

/** The index entry for `platform`, or undefined when the index has none. */
export function selectPlatform(index: ImageIndex, platform: Platform): Descriptor | undefined {
  return index.manifests.find(
    (m) =>
      m.platform?.os === platform.os &&
      m.platform.architecture === platform.architecture &&
      (!platform.variant || !m.platform.variant || m.platform.variant === platform.variant),
  );
}
