// Upload sessions: bytes land in uploads/<uuid>.data, hashed as they stream, and become a
// blob only after the digest matches and the file is fsynced (then one rename publishes it).
// Each step uses as few filesystem calls as it can: a small-layer push is a handful of
// requests whose latency is mostly those calls.
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readlink, rm, symlink, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../errors';
import { type Digest, formatDigest } from '../reference';
import { appendStream } from './append';
import type { BlobStore } from './blobs';
import { listDir, statOrNull, withParentDir } from './fsutil';
import type { Layout } from './layout';
import { UploadFile } from './upload-file';
import { BackgroundFlusher } from './writeback';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UploadSession {
  readonly id: string;
  readonly repo: string;
  size: number;
  /** Running hash of `size` bytes, or null when it was lost (restart) and must be recomputed. */
  hash: Hash | null;
  readonly algorithm: string;
  readonly file: UploadFile;
  /** Settles when the request working on the session is done; null when none is. */
  busy: Promise<void> | null;
}

function unknownUpload(id: string): RegistryError {
  return new RegistryError('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id });
}

/** The session's owner is recorded as a symlink target: one syscall to write, one to read. */
async function readOwner(path: string): Promise<string | null> {
  try {
    return await readlink(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EINVAL') return null;
    throw err;
  }
}

async function hashFile(path: string, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Removes one file of a session; a session of the older layout is a directory. */
async function removeSessionEntry(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'EISDIR' && code !== 'EPERM') throw err;
    await rm(path, { recursive: true, force: true });
  }
}

export class UploadStore {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(
    private readonly layout: Layout,
    private readonly blobs: BlobStore,
  ) {}

  private dataPath(id: string): string {
    return this.layout.uploadData(id);
  }

  async create(repo: string, algorithm = 'sha256'): Promise<UploadSession> {
    const id = randomUUID();
    const owner = this.layout.uploadOwner(id);
    // One call opens a session; the data file appears with the first byte (or at finish for
    // an empty blob).
    await withParentDir(owner, () => symlink(repo, owner));
    const session: UploadSession = {
      id,
      repo,
      size: 0,
      hash: createHash(algorithm),
      algorithm,
      file: new UploadFile(this.dataPath(id)),
      busy: null,
    };
    this.sessions.set(id, session);
    return session;
  }

  /** The session `id` of `repo`; sessions survive a restart (their hash is then recomputed). */
  async get(repo: string, id: string): Promise<UploadSession> {
    if (!UUID_RE.test(id)) throw unknownUpload(id);
    const known = this.sessions.get(id);
    if (known) {
      if (known.repo !== repo) throw unknownUpload(id);
      return known;
    }
    const owner = await readOwner(this.layout.uploadOwner(id));
    if (owner !== repo) throw unknownUpload(id);
    const st = await statOrNull(this.dataPath(id));
    const session: UploadSession = {
      id,
      repo,
      size: st?.size ?? 0,
      hash: null,
      algorithm: 'sha256',
      file: new UploadFile(this.dataPath(id)),
      busy: null,
    };
    this.sessions.set(id, session);
    return session;
  }

  /**
   * Appends a chunk. On any failure (client gone, wrong length) the file and hash are
   * rolled back to the previous offset, so a retry can continue from there.
   */
  async append(s: UploadSession, source: Readable, expectedLength?: number): Promise<void> {
    const release = this.claim(s);
    const before = s.size;
    const running = s.hash;
    const backup = running?.copy() ?? null;
    try {
      const fh = await s.file.acquire();
      const flusher = new BackgroundFlusher(fh);
      try {
        const written = await appendStream(
          source,
          fh,
          (chunk) => running?.update(chunk),
          (bytes) => flusher.wrote(bytes),
        );
        if (expectedLength !== undefined && written !== expectedLength) {
          throw new RegistryError('SIZE_INVALID', 'chunk length does not match Content-Length', {
            expected: expectedLength,
            received: written,
          });
        }
        s.size = before + written;
      } catch (err) {
        s.hash = backup;
        // Appending is writing at `before`: a failure cuts the file back to it.
        await fh.truncate(before).catch(() => undefined);
        throw err;
      } finally {
        await flusher.idle();
      }
    } finally {
      s.file.release();
      release();
    }
  }

  /** Verifies the digest of everything received, publishes the blob durably and links it. */
  async finish(s: UploadSession, digest: Digest): Promise<void> {
    const release = this.claim(s);
    try {
      const path = this.dataPath(s.id);
      const actual =
        s.hash && s.algorithm === digest.algorithm
          ? s.hash.copy().digest('hex')
          : await hashFile(path, digest.algorithm);
      if (actual !== digest.hex) {
        throw new RegistryError(
          'DIGEST_INVALID',
          'provided digest did not match uploaded content',
          {
            expected: formatDigest(digest),
            actual: `${digest.algorithm}:${actual}`,
          },
        );
      }
      // On the descriptor that wrote the data (acquiring also creates the file of an empty
      // upload); it is closed with the session's leftovers after the publish.
      await (await s.file.acquire()).sync();
      await this.blobs.commitFile(path, digest);
      // Both only need the published blob; the session's leftovers go beside the link.
      await Promise.all([this.blobs.link(s.repo, digest), this.drop(s, false)]);
    } finally {
      s.file.release();
      release();
    }
  }

  async cancel(s: UploadSession): Promise<void> {
    const release = this.claim(s);
    try {
      await this.drop(s);
    } finally {
      release();
    }
  }

  /**
   * Waits for a request still working on the session, e.g. one whose client vanished
   * mid-chunk and that is rolling its bytes back, so that the client's retry finds the
   * upload as it will stand.
   */
  async settled(s: UploadSession): Promise<void> {
    while (s.busy) await s.busy;
  }

  /** Removes sessions whose data has not changed since `cutoff` (abandoned pushes). */
  async purgeIdle(cutoff: number): Promise<number> {
    const names = await listDir(this.layout.uploadsDir);
    const ids = new Set(names.map((name) => name.replace(/\.data$/, '')));
    let purged = 0;
    for (const id of ids) {
      const st =
        (await statOrNull(this.dataPath(id))) ??
        (await lstat(this.layout.uploadOwner(id)).catch(() => null));
      const session = this.sessions.get(id);
      if (!st || st.mtimeMs >= cutoff || session?.busy) continue;
      this.sessions.delete(id);
      await session?.file.close();
      await this.removeFiles(id, true);
      purged++;
    }
    return purged;
  }

  /** Marks the session busy with the calling request; the returned function ends that. */
  private claim(s: UploadSession): () => void {
    if (s.busy || !this.sessions.has(s.id)) {
      throw new RegistryError('BLOB_UPLOAD_INVALID', 'upload is busy with another request', {
        id: s.id,
      });
    }
    let done = () => {};
    s.busy = new Promise<void>((resolve) => {
      done = resolve;
    });
    return () => {
      s.busy = null;
      done();
    };
  }

  /** Forgets a session and removes its files (`withData` false: the data was published). */
  private async drop(s: UploadSession, withData = true): Promise<void> {
    this.sessions.delete(s.id);
    await s.file.close();
    await this.removeFiles(s.id, withData);
  }

  private async removeFiles(id: string, withData: boolean): Promise<void> {
    const paths = [this.layout.uploadOwner(id)];
    if (withData) paths.push(this.dataPath(id));
    await Promise.all(paths.map(removeSessionEntry));
  }
}
