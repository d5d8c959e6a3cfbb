// Content-addressed blob files and their links into repositories.
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Stats } from 'node:fs';
import { type Digest, formatDigest } from '../reference';
import { removeFile, statOrNull, touchMarker, writeFileAtomic } from './fsutil';
import type { Layout } from './layout';
import type { Liveness } from './liveness';

const READ_CHUNK = 1024 * 1024;

export class BlobStore {
  constructor(
    private readonly layout: Layout,
    private readonly liveness: Liveness,
  ) {}

  /** Size of a blob visible in `repo` (linked, or a manifest of it), or null. */
  async statInRepo(repo: string, d: Digest): Promise<Stats | null> {
    const linked =
      (await statOrNull(this.layout.repoBlob(repo, d))) ??
      (await statOrNull(this.layout.manifest(repo, d)));
    if (!linked) return null;
    const st = await statOrNull(this.layout.blob(d));
    if (st) this.liveness.touch(formatDigest(d));
    return st;
  }

  openRead(d: Digest, range?: { start: number; end: number }): ReadStream {
    // Large reads mean fewer syscalls and socket writes for big layers.
    return createReadStream(this.layout.blob(d), { ...range, highWaterMark: READ_CHUNK });
  }

  /** Moves a verified, fsynced file into place; a concurrent identical upload just replaces it. */
  async commitFile(tmpPath: string, d: Digest): Promise<void> {
    const target = this.layout.blob(d);
    await mkdir(dirname(target), { recursive: true });
    await rename(tmpPath, target);
    this.liveness.touch(formatDigest(d));
  }

  /** Stores small content (a manifest) under its digest. */
  async commitBytes(bytes: Buffer, d: Digest): Promise<void> {
    if (!(await statOrNull(this.layout.blob(d)))) await writeFileAtomic(this.layout.blob(d), bytes);
    this.liveness.touch(formatDigest(d));
  }

  async link(repo: string, d: Digest): Promise<void> {
    await touchMarker(this.layout.repoBlob(repo, d));
  }

  async isLinked(repo: string, d: Digest): Promise<boolean> {
    return (await statOrNull(this.layout.repoBlob(repo, d))) !== null;
  }

  /** Removes the repository's link; the content goes when garbage collection finds it unused. */
  async unlink(repo: string, d: Digest): Promise<boolean> {
    return removeFile(this.layout.repoBlob(repo, d));
  }

  async exists(d: Digest): Promise<boolean> {
    return (await statOrNull(this.layout.blob(d))) !== null;
  }
}
