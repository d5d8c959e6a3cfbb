export const MEDIA_TYPE = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
} as const;

export const ANNOTATION = {
  refName: 'org.opencontainers.image.ref.name',
  /** What `ctr import` and `docker load` (v25+) use to name an image from an OCI index. */
  containerdImageName: 'io.containerd.image.name',
} as const;
