import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { DigestTap, digestHex } from '../digest';
import type { EntrySource } from './entries';
import { packEntries } from './tar-writer';

/** A gzip layer blob stored in a `blobs/sha256` directory. */
export interface LayerBlob {
  /** Digest and size of the gzip blob (what manifests reference). */
  digest: string;
  size: number;
  /** Digest and size of the uncompressed tar (the config's rootfs.diff_ids). */
  diffId: string;
  diffSize: number;
  path: string;
}

/**
 * Writes the layer as a gzip blob into `blobsDir`, hashing the tar and the gzip stream as
 * they pass, so nothing is buffered whole and nothing is read back. The blob appears under
 * its digest only once complete.
 */
export async function writeLayerBlob(
  entries: EntrySource,
  blobsDir: string,
  gzipLevel: number,
): Promise<LayerBlob> {
  const { tar, written } = packEntries(entries);
  const diff = new DigestTap();
  const compressed = new DigestTap();
  const tmp = join(blobsDir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    await Promise.all([
      pipeline(tar, diff, createGzip({ level: gzipLevel }), compressed, createWriteStream(tmp)),
      written,
    ]);
    const digest = compressed.digest();
    const path = join(blobsDir, digestHex(digest));
    await rename(tmp, path);
    return { digest, size: compressed.size, diffId: diff.digest(), diffSize: diff.size, path };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The layer's uncompressed tar, checked against its diffID while it streams. */
export async function* uncompressedLayer(layer: LayerBlob): AsyncIterable<Buffer> {
  const tap = new DigestTap();
  const tar = createReadStream(layer.path).pipe(createGunzip()).pipe(tap);
  for await (const chunk of tar) yield chunk as Buffer;
  if (tap.digest() !== layer.diffId || tap.size !== layer.diffSize) {
    throw new Error(`layer ${layer.digest} does not decompress to ${layer.diffId}`);
  }
}
