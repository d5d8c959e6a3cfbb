// Reads a `docker save` archive (legacy <id>/layer.tar or OCI blobs/sha256 layout, with
// manifest.json either way) from a stream: large files go straight into containerd's
// content store as they arrive, small ones (JSON, configs) are kept in memory.
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { invalidParameter } from '../api/errors';
import type { ContainerdConnection } from '../containerd/connection';
import { bufferChunks, writeBlob, type Blob } from '../containerd/content';
import { compressionOf, type Compression } from './compression';

/** Files up to this size are kept in memory; everything larger is a layer. */
const IN_MEMORY_LIMIT = 1 << 20;

export interface ArchiveManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export interface ArchiveFile {
  blob?: Blob;
  data?: Buffer;
  compression: Compression;
}

export interface DockerArchive {
  manifest: ArchiveManifestEntry[];
  /** Stores the file at `path` in containerd (if not stored yet) and describes it. */
  store(path: string): Promise<Blob & { compression: Compression; data?: Buffer }>;
}

export async function readDockerArchive(
  body: Readable,
  connection: ContainerdConnection,
  lease: string,
): Promise<DockerArchive> {
  const files = new Map<string, ArchiveFile>();
  const links = new Map<string, string>();
  const tar = extract();
  body.pipe(tar);
  body.on('error', (err) => tar.destroy(err));
  for await (const entry of tar) {
    const name = posix.normalize(entry.header.name).replace(/^\.\//, '');
    if (entry.header.type === 'symlink' || entry.header.type === 'link') {
      const target = entry.header.linkname ?? '';
      links.set(
        name,
        entry.header.type === 'symlink' ? posix.join(posix.dirname(name), target) : target,
      );
    } else if (entry.header.type === 'file' && (entry.header.size ?? 0) <= IN_MEMORY_LIMIT) {
      const parts: Buffer[] = [];
      for await (const chunk of entry) parts.push(chunk as Buffer);
      const data = Buffer.concat(parts);
      files.set(name, { data, compression: compressionOf(data) });
      continue;
    } else if (entry.header.type === 'file') {
      let head: Buffer | undefined;
      const blob = await writeBlob(
        connection,
        (async function* () {
          for await (const chunk of entry) {
            head ??= chunk as Buffer;
            yield chunk as Buffer;
          }
        })(),
        { lease },
      );
      files.set(name, { blob, compression: compressionOf(head ?? Buffer.alloc(0)) });
      continue;
    }
    entry.resume();
  }

  const lookup = (path: string): ArchiveFile => {
    let name = posix.normalize(path);
    for (let hops = 0; links.has(name) && hops < 16; hops++) name = links.get(name)!;
    const file = files.get(name);
    if (!file) throw invalidParameter(`invalid archive: ${path} not found in archive`);
    return file;
  };
  const manifestFile = files.get('manifest.json')?.data;
  if (!manifestFile) throw invalidParameter('invalid archive: manifest.json not found');
  let manifest: ArchiveManifestEntry[];
  try {
    manifest = JSON.parse(manifestFile.toString('utf8')) as ArchiveManifestEntry[];
    if (!Array.isArray(manifest)) throw new Error('not a list');
  } catch (err) {
    throw invalidParameter(`invalid archive: manifest.json: ${(err as Error).message}`);
  }
  return {
    manifest,
    async store(path) {
      const file = lookup(path);
      if (!file.blob && file.data)
        file.blob = await writeBlob(connection, bufferChunks(file.data), { lease });
      return {
        ...file.blob!,
        compression: file.compression,
        ...(file.data ? { data: file.data } : {}),
      };
    },
  };
}
