// GET /images/get: `docker save` as Docker 28's containerd image store writes it, an OCI image
// layout (oci-layout, index.json naming each image, blobs/sha256/*) that also carries the
// legacy manifest.json and repositories files `docker load` and `skopeo docker-archive:` read.
// Blobs are streamed from containerd's content store one after the other, never buffered.
import { Readable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import type { ContainerdConnection } from '../containerd/connection';
import { hasBlob, readJsonBlob } from '../containerd/content';
import { isIndex, MediaType, type Descriptor, type Index, type Manifest } from './media-types';
import { familiarName, normalizedTagged, parseReference } from './reference';
import type { Image, ImageStore } from './store';

/** One image of the archive and the names it is saved under (none when saved by ID). */
export interface SaveEntry {
  image: Image;
  names: string[];
}

export interface ArchiveLayout {
  /** Every blob once, in the order written. */
  blobs: Descriptor[];
  /** index.json, manifest.json, oci-layout and repositories, written after the blobs. */
  files: { name: string; data: Buffer }[];
}

const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';
const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';

/** A blob read may wait that long on a slow client. */
const READ_DEADLINE_MS = 60 * 60_000;

export const blobPath = (digest: string) => `blobs/sha256/${digest.replace(/^sha256:/, '')}`;

/**
 * The images `names` select, as Docker resolves them: a bare repository name ("busybox")
 * saves every tag of that repository; a tagged name saves that tag; an ID saves the image
 * without names.
 */
export async function selectForSave(store: ImageStore, names: readonly string[]) {
  const entries = new Map<string, SaveEntry>();
  const add = (image: Image, name?: string) => {
    const entry = entries.get(image.id) ?? { image, names: [] };
    if (name && !entry.names.includes(name)) entry.names.push(name);
    entries.set(image.id, entry);
  };
  for (const input of names) {
    const repository = bareRepository(input);
    const tagged = repository
      ? (await store.list()).flatMap((image) =>
          image.names.filter((n) => n.startsWith(`${repository}:`)).map((n) => ({ image, n })),
        )
      : [];
    if (tagged.length > 0) {
      for (const { image, n } of tagged) add(image, n);
      continue;
    }
    const image = await store.resolve(input);
    add(
      image,
      image.names.find((n) => n === storedName(input)),
    );
  }
  return [...entries.values()];
}

/** "busybox" → docker.io/library/busybox; undefined for a tagged, digested or invalid input. */
function bareRepository(input: string): string | undefined {
  try {
    const ref = parseReference(input);
    return ref.tag || ref.digest ? undefined : ref.name;
  } catch {
    return undefined;
  }
}

/** The stored name a tagged input stands for (name:tag, name@digest), if it is one. */
function storedName(input: string): string | undefined {
  try {
    return normalizedTagged(input);
  } catch {
    return undefined;
  }
}

/**
 * The blobs an image target references that containerd holds: an index and those of its
 * manifests that are present (a pull keeps only the host's), a manifest with its config
 * and layers.
 */
export async function imageBlobs(
  connection: ContainerdConnection,
  target: Descriptor,
): Promise<Descriptor[]> {
  if (isIndex(target.mediaType)) {
    const index = await readJsonBlob<Index>(connection, target.digest);
    const children: Descriptor[] = [];
    for (const child of index.manifests) {
      if (await hasBlob(connection, child.digest))
        children.push(...(await imageBlobs(connection, child)));
    }
    return [target, ...children];
  }
  const manifest = await readJsonBlob<Manifest>(connection, target.digest);
  return [target, manifest.config, ...manifest.layers];
}

/** What the archive holds for `entries`, whose blobs are `blobsOf(entry)`. */
export function archiveLayout(
  entries: readonly SaveEntry[],
  blobsOf: (entry: SaveEntry) => readonly Descriptor[],
): ArchiveLayout {
  const blobs = new Map<string, Descriptor>();
  const index: (Descriptor & { annotations?: Record<string, string> })[] = [];
  const manifests: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const entry of entries) {
    for (const blob of blobsOf(entry)) if (!blobs.has(blob.digest)) blobs.set(blob.digest, blob);
    const { image } = entry;
    const target = {
      mediaType: image.target.mediaType,
      digest: image.target.digest,
      size: image.target.size,
    };
    if (entry.names.length === 0) index.push(target);
    for (const name of entry.names) {
      const tag = name.slice(name.lastIndexOf(':') + 1);
      index.push({
        ...target,
        annotations: { [ANNOTATION_IMAGE_NAME]: name, [ANNOTATION_REF_NAME]: tag },
      });
      const topLayer = image.manifest.layers.at(-1);
      if (topLayer) {
        const repository = familiarName(name.slice(0, name.lastIndexOf(':')));
        (repositories[repository] ??= {})[tag] = topLayer.digest.replace(/^sha256:/, '');
      }
    }
    manifests.push({
      Config: blobPath(image.manifest.config.digest),
      RepoTags: entry.names.map(familiarName),
      Layers: image.manifest.layers.map((layer) => blobPath(layer.digest)),
    });
  }
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);
  const files = [
    {
      name: 'index.json',
      data: json({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index }),
    },
    { name: 'manifest.json', data: json(manifests) },
    { name: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
  ];
  if (Object.keys(repositories).length > 0)
    files.push({ name: 'repositories', data: json(repositories) });
  return { blobs: [...blobs.values()], files };
}

/** Streams the archive; an error (a blob vanished mid-way) destroys the stream. */
export function writeArchive(connection: ContainerdConnection, layout: ArchiveLayout): Readable {
  const pack = tarPack();
  // errors reach the reader through Readable.from; unlistened, streamx would throw them
  pack.on('error', () => undefined);
  const mtime = new Date(0);
  const write = async () => {
    for (const name of ['blobs', 'blobs/sha256'])
      pack.entry({ name, type: 'directory', mode: 0o755, mtime });
    for (const blob of layout.blobs) {
      const chunks = connection.serverStream<{ data: Buffer }>(
        'content',
        'Read',
        { digest: blob.digest, offset: '0', size: '0' },
        { deadlineMs: READ_DEADLINE_MS },
      );
      await writeEntry(pack, blobPath(blob.digest), blob.size, mtime, chunks);
    }
    for (const file of layout.files)
      pack.entry({ name: file.name, size: file.data.length, mode: 0o644, mtime }, file.data);
    pack.finalize();
  };
  write().catch((err: unknown) => pack.destroy(err as Error));
  return Readable.from(pack);
}

async function writeEntry(
  pack: Pack,
  name: string,
  size: number,
  mtime: Date,
  chunks: AsyncIterable<{ data: Buffer }>,
): Promise<void> {
  let done!: (err?: Error | null) => void;
  const finished = new Promise<void>((resolve, reject) => {
    done = (err) => (err ? reject(err) : resolve());
  });
  finished.catch(() => undefined); // awaited below, unless the reader goes first
  const entry = pack.entry({ name, size, mode: 0o644, mtime }, done);
  for await (const { data } of chunks) {
    if (entry.write(data)) continue;
    // wait for the reader; a reader gone (client hung up) ends the archive here
    await new Promise<void>((resolve) => {
      entry.once('drain', () => resolve());
      entry.once('close', () => resolve());
    });
    if (entry.destroyed) throw new Error('archive reader went away');
  }
  entry.end(null); // streamx: end without a last chunk
  await finished;
}
