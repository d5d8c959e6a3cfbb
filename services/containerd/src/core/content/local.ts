import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  constants,
  createReadStream,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open, readFile, readdir, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseDigest } from '../digest';
import { alreadyExists, errorOf, failedPrecondition, notFound } from '../errdefs';

/** Large reads: blobs feed decompression and gRPC messages of up to 1 MiB. */
const READ_CHUNK = 1 << 20;
/**
 * Manifests, indexes and configs, the reads on the path of every container create, are this
 * small: one synchronous read of a cached file costs less than a stream's thread-pool trips.
 */
const SMALL_READ = 64 << 10;

function readRange(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

export interface BlobInfo {
  digest: string;
  size: number;
  createdAt: number;
}

export interface IngestStatus {
  ref: string;
  offset: number;
  total: number;
  expected: string;
  startedAt: number;
  updatedAt: number;
}

/**
 * The content-addressed blob store under `<root>/blobs/<alg>/<hex>`. Writes go to an
 * ingest directory named after the ref and are renamed into place only once their digest
 * has been verified, so a blob path never holds partial or wrong data, even after a crash.
 * An interrupted ingest is resumed by re-hashing what it already holds.
 */
export class LocalContentStore {
  private readonly locked = new Set<string>();

  constructor(readonly root: string) {}

  blobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.root, 'blobs', algorithm, hex);
  }

  private ingestDir(ref: string): string {
    return join(this.root, 'ingest', createHash('sha256').update(ref).digest('hex'));
  }

  async info(digest: string): Promise<BlobInfo> {
    const st = await stat(this.blobPath(digest)).catch(() => null);
    if (!st) throw notFound(`content digest ${digest}`);
    return { digest, size: st.size, createdAt: st.mtimeMs };
  }

  async exists(digest: string): Promise<boolean> {
    return (await stat(this.blobPath(digest)).catch(() => null)) !== null;
  }

  /** exists() without a thread-pool round trip, for the per-blob steps of a pull. */
  hasBlob(digest: string): boolean {
    return statSync(this.blobPath(digest), { throwIfNoEntry: false }) !== undefined;
  }

  /**
   * The bytes of a read of `size` from `offset` (size 0 reads to the end): in one buffer when
   * the range is small (a manifest, a config), else a stream. The stat is synchronous: small
   * reads are on the path of every container create, and a thread-pool round trip costs them
   * more than the stat itself.
   */
  read(digest: string, offset = 0, size = 0): Buffer | Readable {
    const path = this.blobPath(digest);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) throw notFound(`content digest ${digest}`);
    if (offset > st.size) throw errorOf('OutOfRange', `offset ${offset} beyond ${st.size}`);
    const end = size > 0 ? Math.min(st.size, offset + size) : st.size;
    const length = Math.max(end - offset, 0);
    if (length <= SMALL_READ) return readRange(path, offset, length);
    return createReadStream(path, { start: offset, end: end - 1, highWaterMark: READ_CHUNK });
  }

  /** read() as a stream, whatever the range's size. */
  reader(digest: string, offset = 0, size = 0): Readable {
    const data = this.read(digest, offset, size);
    return Buffer.isBuffer(data) ? Readable.from([data]) : data;
  }

  /** Unlinks a blob; only garbage collection calls this, once no namespace records it. */
  removeBlob(digest: string): void {
    rmSync(this.blobPath(digest), { force: true });
  }

  async *walk(): AsyncGenerator<BlobInfo> {
    const base = join(this.root, 'blobs');
    for (const algorithm of await readdir(base).catch(() => [] as string[])) {
      for (const hex of await readdir(join(base, algorithm))) {
        const st = await stat(join(base, algorithm, hex)).catch(() => null);
        if (st) yield { digest: `${algorithm}:${hex}`, size: st.size, createdAt: st.mtimeMs };
      }
    }
  }

  async status(ref: string): Promise<IngestStatus> {
    return this.statusSync(ref);
  }

  /** An ingest's state from its two small files, read synchronously (see writer()). */
  private statusSync(ref: string): IngestStatus {
    const dir = this.ingestDir(ref);
    let meta: string;
    try {
      meta = readFileSync(join(dir, 'meta.json'), 'utf8');
    } catch {
      throw notFound(`ref ${ref}`);
    }
    const data = statSync(join(dir, 'data'), { throwIfNoEntry: false });
    const m = JSON.parse(meta) as Omit<IngestStatus, 'offset' | 'updatedAt'>;
    return { ...m, offset: data?.size ?? 0, updatedAt: data?.mtimeMs ?? m.startedAt };
  }

  async listStatuses(): Promise<IngestStatus[]> {
    const base = join(this.root, 'ingest');
    const out: IngestStatus[] = [];
    for (const name of await readdir(base).catch(() => [] as string[])) {
      const meta = await readFile(join(base, name, 'meta.json'), 'utf8').catch(() => null);
      if (meta !== null) out.push(await this.status((JSON.parse(meta) as IngestStatus).ref));
    }
    return out;
  }

  async abort(ref: string): Promise<void> {
    await this.status(ref);
    await rm(this.ingestDir(ref), { recursive: true, force: true });
  }

  /**
   * Opens (or resumes) the ingest `ref`; only one writer per ref at a time. The small
   * metadata steps are synchronous: a pull opens one writer per blob, and on a busy machine
   * each thread-pool round trip costs more than the syscall it carries.
   */
  async writer(ref: string, total = 0, expected = ''): Promise<ContentWriter> {
    if (this.locked.has(ref)) throw errorOf('Unavailable', `ref ${ref} locked`);
    if (expected && this.hasBlob(expected)) throw alreadyExists(`content ${expected}`);
    this.locked.add(ref);
    try {
      const dir = this.ingestDir(ref);
      mkdirSync(dir, { recursive: true });
      const existing = this.existingStatus(ref);
      const fresh =
        !existing ||
        (expected !== '' && existing.expected !== '' && existing.expected !== expected);
      let status: IngestStatus;
      if (fresh) {
        // A new ingest, or one restarted for different content: start empty (O_TRUNC below).
        const startedAt = Date.now();
        const meta = { ref, total, expected, startedAt };
        writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
        status = { ...meta, offset: 0, updatedAt: startedAt };
      } else {
        status = existing;
      }
      // O_CREAT: a crash may have removed the data file after its commit's rename.
      const fh = await open(
        join(dir, 'data'),
        constants.O_RDWR | constants.O_CREAT | (fresh ? constants.O_TRUNC : 0),
      );
      const hash = createHash(expected ? parseDigest(expected).algorithm : 'sha256');
      // Resuming: the digest so far covers what the ingest already holds.
      if (status.offset > 0) {
        for await (const chunk of fh.createReadStream({ autoClose: false, start: 0 })) {
          hash.update(chunk as Buffer);
        }
      }
      return new ContentWriter(this, dir, fh, hash, {
        ...status,
        total: total || status.total,
        expected: expected || status.expected,
      });
    } catch (err) {
      this.locked.delete(ref);
      throw err;
    }
  }

  private existingStatus(ref: string): IngestStatus | null {
    try {
      return this.statusSync(ref);
    } catch {
      return null;
    }
  }

  /** @internal called by ContentWriter when it closes. */
  release(ref: string): void {
    this.locked.delete(ref);
  }
}

export class ContentWriter {
  private closed = false;

  constructor(
    private readonly store: LocalContentStore,
    private readonly dir: string,
    private readonly fh: FileHandle,
    private hash: Hash,
    private readonly state: IngestStatus,
  ) {}

  status(): IngestStatus {
    return { ...this.state };
  }

  get ref(): string {
    return this.state.ref;
  }

  async write(data: Buffer): Promise<void> {
    const written = this.writeAt(data, this.state.offset);
    // Hashing on this thread overlaps the write on the thread pool.
    this.hash.update(data);
    await written;
    this.state.offset += data.length;
    this.state.updatedAt = Date.now();
  }

  private async writeAt(data: Buffer, position: number): Promise<void> {
    for (let done = 0; done < data.length;) {
      const { bytesWritten } = await this.fh.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
  }

  /** Drops what was written past `size` (only 0 is supported, as upstream's local store). */
  async truncate(size: number): Promise<void> {
    if (size !== 0) throw errorOf('InvalidArgument', 'truncate: only truncation to 0 is supported');
    await this.fh.truncate(0);
    this.state.offset = 0;
    this.hash = createHash(
      this.state.expected ? parseDigest(this.state.expected).algorithm : 'sha256',
    );
  }

  digest(): string {
    const alg = this.state.expected ? parseDigest(this.state.expected).algorithm : 'sha256';
    return `${alg}:${this.hash.copy().digest('hex')}`;
  }

  /** Verifies size and digest, then renames the data into the blob store. */
  async commit(size: number, expected: string): Promise<string> {
    const want = expected || this.state.expected;
    if (size > 0 && size !== this.state.offset) {
      throw failedPrecondition(`unexpected commit size ${this.state.offset}, expected ${size}`);
    }
    const actual = this.digest();
    if (want && actual !== want) {
      throw failedPrecondition(`unexpected commit digest ${actual}, expected ${want}`);
    }
    // The one durable step, as upstream's local store: the blob's data reaches the disk
    // before its name appears.
    await this.fh.sync();
    const target = this.store.blobPath(actual);
    mkdirSync(join(target, '..'), { recursive: true });
    if (this.store.hasBlob(actual)) {
      await this.discard();
      throw alreadyExists(`content ${actual}`);
    }
    renameSync(join(this.dir, 'data'), target);
    await this.discard();
    return actual;
  }

  /** Removes the ingest: its two files by name, then the directory (no recursive walk). */
  private async discard(): Promise<void> {
    await this.close();
    for (const name of ['data', 'meta.json']) rmSync(join(this.dir, name), { force: true });
    rmdirSync(this.dir);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
    this.store.release(this.state.ref);
  }
}
