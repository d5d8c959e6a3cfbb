// POST /images/create?fromSrc=: `docker import`, as Docker's containerd image store does it.
// The tarball (plain, gzip or zstd, kept as sent) becomes the single layer of a new OCI image:
// containerd unpacks it and reports its diff ID, the config carries the --change
// instructions and the message, and the image is named repo:tag or left dangling.
import type { Readable } from 'node:stream';
import { invalidParameter } from '../api/errors';
import type { ContainerdConnection } from '../containerd/connection';
import { bufferChunks, labelBlob, writeBlob } from '../containerd/content';
import { withLease } from '../containerd/leases';
import { applyChanges } from './changes';
import { compressionOf, layerMediaType } from './compression';
import { writeManifest } from './load';
import { MediaType, type ImageConfig } from './media-types';
import { formatReference, parseReference, withDefaultTag } from './reference';
import type { ImageStore } from './store';
import { applyLayer, SNAPSHOTTER } from './unpack';

export interface ImportOptions {
  /** repository[:tag] to name the image, as the CLI sends it; empty leaves it dangling. */
  repo?: string;
  tag?: string;
  message?: string;
  changes: readonly string[];
  /** os[/arch[/variant]] */
  platform?: string;
}

/** The image name an import gets: repo with tag (the tag parameter wins), default latest. */
export function importName(repo: string | undefined, tag: string | undefined): string | undefined {
  if (!repo) return undefined;
  const ref = parseReference(repo);
  if (ref.digest) throw invalidParameter('cannot import to a digest reference');
  return formatReference(withDefaultTag(tag ? parseReference(`${ref.name}:${tag}`) : ref));
}

/** The OCI layer media type for a tarball that starts with `head`. */
export function importedLayerType(head: Buffer): string {
  const compression = compressionOf(head);
  const mediaType = layerMediaType(compression, 'oci');
  if (!mediaType)
    throw invalidParameter(
      `unsupported layer compression: ${compression} (send plain, gzip or zstd)`,
    );
  return mediaType;
}

function parsePlatform(platform: string | undefined): {
  os: string;
  architecture: string;
  variant?: string;
} {
  if (!platform) return { os: 'linux', architecture: 'amd64' };
  const [os = '', architecture = 'amd64', variant] = platform.toLowerCase().split('/');
  if (os !== 'linux')
    throw invalidParameter(`"${platform}": unsupported platform, only linux is supported`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** Imports the tarball `body`; returns the new image's ID. */
export async function importImage(
  connection: ContainerdConnection,
  store: ImageStore,
  body: Readable,
  options: ImportOptions,
): Promise<string> {
  // everything the request names is checked before the body is read
  const name = importName(options.repo, options.tag);
  const platform = parsePlatform(options.platform);
  const containerConfig = applyChanges({}, options.changes);
  return withLease(connection, async (lease) => {
    const { head, chunks } = await peek(body);
    const mediaType = importedLayerType(head);
    const blob = await writeBlob(connection, chunks, { lease });
    const layer = { mediaType, ...blob };
    const diffId = await applyLayer(connection, layer, '', lease, (id) => id).catch(
      (err: Error) => {
        throw invalidParameter(`invalid tar archive: ${err.message}`);
      },
    );
    await labelBlob(connection, blob.digest, { 'containerd.io/uncompressed': diffId });
    const created = new Date().toISOString();
    const comment = options.message ?? 'Imported from -';
    const config: ImageConfig = {
      created,
      ...platform,
      config: containerConfig,
      rootfs: { type: 'layers', diff_ids: [diffId] },
      comment,
      history: [{ created, comment }],
    };
    const configBlob = await writeBlob(
      connection,
      bufferChunks(Buffer.from(JSON.stringify(config))),
      {
        lease,
        // a single layer's chain ID is its diff ID
        labels: { [`containerd.io/gc.ref.snapshot.${SNAPSHOTTER}`]: diffId },
      },
    );
    const target = await writeManifest(connection, lease, {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, ...configBlob },
      layers: [layer],
    });
    if (name) await store.setName(name, target);
    else await store.keepUnnamed(target);
    return configBlob.digest;
  });
}

/** The stream's first chunk (to sniff the compression) and all its chunks. */
async function peek(body: Readable): Promise<{ head: Buffer; chunks: AsyncIterable<Buffer> }> {
  const iterator = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
  if (head.length === 0) throw invalidParameter('empty tar archive');
  return {
    head,
    chunks: (async function* () {
      yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        yield Buffer.from(next.value);
    })(),
  };
}
