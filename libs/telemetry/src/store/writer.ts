import { closeSync, fstatSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { FinishedSpan, SpanSink } from '../record';
import { listSegmentsSync, segmentPath, segmentSizeSync } from './segments';

export interface TraceStoreOptions {
  dir: string;
  /** Cap on the store's total size; the oldest segments are deleted beyond it. */
  maxBytes: number;
  /** Size at which a segment is closed and the next one started; default maxBytes / 8. */
  segmentBytes?: number;
  /** Buffered spans that trigger an immediate write; default 256. */
  batchSpans?: number;
  /** How long a span may wait in memory before it is written; default 500 ms. */
  flushIntervalMs?: number;
  onError?: (err: Error) => void;
}

/**
 * The embedded span store: JSON lines appended to size-capped segment files shared by every
 * berth process on the host.
 *
 * Why shared segments and not one file per process: the runtime CLI runs several times per
 * container, so per-process files would mean thousands of tiny files to scan and prune. Instead
 * every writer opens the newest segment with O_APPEND and writes whole lines with one write(2).
 * On local Linux filesystems an O_APPEND write to a regular file takes the inode lock for its
 * whole length, so concurrent writers' batches never interleave (PIPE_BUF only matters for
 * pipes). A crash can at worst leave one torn line at the end, which the reader skips.
 *
 * Rotation is cooperative: a writer that sees its segment at or over segmentBytes after a
 * write moves to the newest segment, or creates the next one, and deletes the oldest segments
 * while the total exceeds maxBytes. Writes are synchronous (like the logger) so that spans
 * still buffered at process exit are written by the 'exit' hook.
 *
 * Spans wait as objects and are turned into records and serialized when the batch is written,
 * off the path of the request that ended them (a span ends inside the call it measures).
 */
export class TraceStoreWriter implements SpanSink {
  private readonly segmentBytes: number;
  private readonly batchSpans: number;
  private readonly flushIntervalMs: number;
  private buffer: FinishedSpan[] = [];
  private fd: number | undefined;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private failed = false;
  private readonly onExit = () => this.flushSync();

  constructor(private readonly opts: TraceStoreOptions) {
    this.segmentBytes = opts.segmentBytes ?? Math.max(4096, Math.floor(opts.maxBytes / 8));
    if (this.segmentBytes > opts.maxBytes) {
      throw new RangeError(
        `segmentBytes (${this.segmentBytes}) must not exceed maxBytes (${opts.maxBytes})`,
      );
    }
    this.batchSpans = opts.batchSpans ?? 256;
    this.flushIntervalMs = opts.flushIntervalMs ?? 500;
    process.on('exit', this.onExit);
  }

  onEnd(span: FinishedSpan): void {
    this.buffer.push(span);
    if (this.buffer.length >= this.batchSpans) this.flushSync();
    else this.timer ??= setTimeout(() => this.flushSync(), this.flushIntervalMs).unref();
  }

  async flush(): Promise<void> {
    this.flushSync();
  }

  async shutdown(): Promise<void> {
    this.flushSync();
    process.off('exit', this.onExit);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Writes everything buffered. Store failures are reported, never thrown into the service. */
  flushSync(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    let batch = '';
    for (const span of this.buffer) batch += `${span.storedJson()}\n`;
    this.buffer = [];
    try {
      writeSync(this.openSegment(), batch);
      let written = fstatSync(this.openSegment());
      // Other writers pruned our segment while we held it open (a long-lived service that
      // wrote nothing for a while): the batch went to an unlinked file, so write it again.
      if (written.nlink === 0) {
        this.rotate();
        writeSync(this.openSegment(), batch);
        written = fstatSync(this.openSegment());
      }
      if (written.size >= this.segmentBytes) this.rotate();
      this.failed = false;
    } catch (err) {
      // Report once per outage, not once per batch.
      if (!this.failed) this.opts.onError?.(err as Error);
      this.failed = true;
    }
  }

  private openSegment(): number {
    if (this.fd !== undefined) return this.fd;
    mkdirSync(this.opts.dir, { recursive: true, mode: 0o750 });
    const newest = listSegmentsSync(this.opts.dir).at(-1);
    const reuse = newest && segmentSizeSync(newest.path) < this.segmentBytes;
    return this.open(reuse ? newest.seq : (newest?.seq ?? 0) + 1);
  }

  private rotate(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const newest = listSegmentsSync(this.opts.dir).at(-1);
    // Join a segment another writer already started rather than leave it nearly empty.
    this.open(newest && newest.seq > this.seq ? newest.seq : this.seq + 1);
    this.prune();
  }

  private open(seq: number): number {
    this.seq = seq;
    this.fd = openSync(segmentPath(this.opts.dir, seq), 'a', 0o640);
    return this.fd;
  }

  private prune(): void {
    const segments = listSegmentsSync(this.opts.dir).map((s) => ({
      ...s,
      size: segmentSizeSync(s.path),
    }));
    let total = segments.reduce((sum, s) => sum + s.size, 0);
    for (const segment of segments) {
      if (total <= this.opts.maxBytes || segment.seq >= this.seq) break;
      try {
        unlinkSync(segment.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      total -= segment.size;
    }
  }
}
