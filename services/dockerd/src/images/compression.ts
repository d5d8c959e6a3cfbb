// Layer tarballs as they come (docker load, docker import): the compression is told by the
// first bytes, as Docker's archive.DetectCompression does, and names the layer's media type.
import { MediaType } from './media-types';

export type Compression = 'gzip' | 'zstd' | 'bzip2' | 'xz' | 'none';

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

export function compressionOf(head: Buffer): Compression {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(XZ_MAGIC)) return 'xz';
  return 'none';
}

const MEDIA_TYPES = {
  docker: { none: MediaType.layer, gzip: MediaType.layerGzip, zstd: MediaType.ociLayerZstd },
  oci: { none: MediaType.ociLayer, gzip: MediaType.ociLayerGzip, zstd: MediaType.ociLayerZstd },
};

/**
 * The media type of a layer in a Docker schema2 or an OCI manifest (Docker's has no zstd
 * type: the OCI one stands in, as in Docker's containerd image store); undefined for the
 * compressions containerd cannot unpack.
 */
export function layerMediaType(
  compression: Compression,
  manifest: 'docker' | 'oci',
): string | undefined {
  return compression === 'bzip2' || compression === 'xz'
    ? undefined
    : MEDIA_TYPES[manifest][compression];
}
