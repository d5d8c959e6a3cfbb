// Content-addressed blob files and their links into repositories.
import { type FileHandle, open, rename } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { type Digest, formatDigest } from '../reference';
import { removeFile, statOrNull, touchMarker, withParentDir, writeFileAtomic } from './fsutil';
import type { Layout } from './layout';
import type { Liveness } from './liveness';

export class BlobStore {
  constructor(
    private readonly layout: Layout,
    private readonly liveness: Liveness,
  ) {}

  /** Size of a blob visible in `repo` (linked, or a manifest of it), or null. */
  async statInRepo(repo: string, d: Digest): Promise<Stats | null> {
    // Both looked up at once: a push asks about blobs the repository does not have yet, and
    // then both lookups miss.
    const [link, manifest] = await Promise.all([
      statOrNull(this.layout.repoBlob(repo, d)),
      statOrNull(this.layout.manifest(repo, d)),
    ]);
    if (!link && !manifest) return null;
    const st = await statOrNull(this.layout.blob(d));
    if (st) this.liveness.touch(formatDigest(d));
    return st;
  }

  /** Opens a blob's content for reading, or null when it is gone (collected meanwhile). */
  async open(d: Digest): Promise<FileHandle | null> {
    try {
      return await open(this.layout.blob(d), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Moves a verified, fsynced file into place; a concurrent identical upload just replaces it. */
  async commitFile(tmpPath: string, d: Digest): Promise<void> {
    const target = this.layout.blob(d);
    await withParentDir(target, () => rename(tmpPath, target));
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
