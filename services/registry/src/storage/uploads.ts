// Upload sessions: bytes land in uploads/<uuid>/data, hashed as they stream, and become a
// blob only after the digest matches and the file is fsynced (then one rename publishes it).
// Each step uses as few filesystem calls as it can: a small-layer push is a handful of
// requests whose latency is mostly those calls.
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, open, readlink, rm, rmdir, symlink, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../errors';
import { type Digest, formatDigest } from '../reference';
import type { BlobStore } from './blobs';
import { listDir, statOrNull, withParentDir } from './fsutil';
import type { Layout } from './layout';
import { BackgroundFlusher } from './writeback';

/** Bytes fs may buffer before pushing back on the client; big writes cost fewer syscalls. */
const WRITE_BUFFER = 1024 * 1024;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UploadSession {
  readonly id: string;
  readonly repo: string;
  size: number;
  /** Running hash of `size` bytes, or null when it was lost (restart) and must be recomputed. */
  hash: Hash | null;
  readonly algorithm: string;
  busy: boolean;
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

/** Creates the file if needed ('a') and fsyncs it. */
async function syncFile(path: string): Promise<void> {
  const fh = await open(path, 'a');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Removes a session directory. After a publish only the owner record is left, so two calls
 * do it; a recursive removal (several more calls) is only needed when data is still there.
 */
async function removeSessionDir(dir: string): Promise<void> {
  try {
    await unlink(join(dir, 'repo'));
    await rmdir(dir);
  } catch {
    await rm(dir, { recursive: true, force: true });
  }
}

export class UploadStore {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(
    private readonly layout: Layout,
    private readonly blobs: BlobStore,
  ) {}

  private dataPath(id: string): string {
    return join(this.layout.upload(id), 'data');
  }

  private ownerPath(id: string): string {
    return join(this.layout.upload(id), 'repo');
  }

  async create(repo: string, algorithm = 'sha256'): Promise<UploadSession> {
    const id = randomUUID();
    const dir = this.layout.upload(id);
    await withParentDir(dir, () => mkdir(dir));
    // The data file appears with the first byte (or at finish for an empty blob).
    await symlink(repo, this.ownerPath(id));
    const session: UploadSession = {
      id,
      repo,
      size: 0,
      hash: createHash(algorithm),
      algorithm,
      busy: false,
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
    const owner = await readOwner(this.ownerPath(id));
    if (owner !== repo) throw unknownUpload(id);
    const st = await statOrNull(this.dataPath(id));
    const session: UploadSession = {
      id,
      repo,
      size: st?.size ?? 0,
      hash: null,
      algorithm: 'sha256',
      busy: false,
    };
    this.sessions.set(id, session);
    return session;
  }

  /**
   * Appends a chunk. On any failure (client gone, wrong length) the file and hash are
   * rolled back to the previous offset, so a retry can continue from there.
   */
  async append(s: UploadSession, source: Readable, expectedLength?: number): Promise<void> {
    this.claim(s);
    const before = s.size;
    const running = s.hash;
    const backup = running?.copy() ?? null;
    const path = this.dataPath(s.id);
    // Appending is writing at `before`: a failure truncates the file back to it.
    const sink = createWriteStream(path, { flags: 'a', highWaterMark: WRITE_BUFFER });
    const flusher = new BackgroundFlusher(path);
    let written = 0;
    // Hash each chunk as it passes (a second 'data' listener sees the same buffers the pipe
    // writes: no copy, no extra stream stage). The write buffer lets fs gather chunks into
    // one writev while the previous write is in flight.
    source.on('data', (chunk: Buffer) => {
      running?.update(chunk);
      written += chunk.length;
      flusher.wrote(chunk.length);
    });
    try {
      await pipeline(source, sink);
      await flusher.idle();
      if (expectedLength !== undefined && written !== expectedLength) {
        throw new RegistryError('SIZE_INVALID', 'chunk length does not match Content-Length', {
          expected: expectedLength,
          received: written,
        });
      }
      s.size = before + written;
    } catch (err) {
      s.hash = backup;
      // Writes already handed to the kernel must land before the cut, not after it.
      if (!sink.closed) await once(sink, 'close');
      await truncate(path, before).catch(() => undefined);
      throw err;
    } finally {
      s.busy = false;
    }
  }

  /** Verifies the digest of everything received, publishes the blob durably and links it. */
  async finish(s: UploadSession, digest: Digest): Promise<void> {
    this.claim(s);
    try {
      const path = this.dataPath(s.id);
      // 'a' also creates the file of an upload that never received a byte.
      await syncFile(path);
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
      await this.blobs.commitFile(path, digest);
      await this.blobs.link(s.repo, digest);
      await this.drop(s);
    } finally {
      s.busy = false;
    }
  }

  async cancel(s: UploadSession): Promise<void> {
    this.claim(s);
    await this.drop(s);
  }

  /** Removes sessions whose data has not changed since `cutoff` (abandoned pushes). */
  async purgeIdle(cutoff: number): Promise<number> {
    let purged = 0;
    for (const id of await listDir(this.layout.uploadsDir)) {
      const st =
        (await statOrNull(this.dataPath(id))) ?? (await statOrNull(this.layout.upload(id)));
      if (!st || st.mtimeMs >= cutoff || this.sessions.get(id)?.busy) continue;
      this.sessions.delete(id);
      await removeSessionDir(this.layout.upload(id));
      purged++;
    }
    return purged;
  }

  private claim(s: UploadSession): void {
    if (s.busy || !this.sessions.has(s.id)) {
      throw new RegistryError('BLOB_UPLOAD_INVALID', 'upload is busy with another request', {
        id: s.id,
      });
    }
    s.busy = true;
  }

  private async drop(s: UploadSession): Promise<void> {
    this.sessions.delete(s.id);
    await removeSessionDir(this.layout.upload(s.id));
  }
}
