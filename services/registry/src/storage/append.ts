// Appends a request body to a file: each chunk is handed to the caller (the hash) on the main
// thread as it arrives, while the chunks received meanwhile are written by one writev in the
// threadpool. No intermediate stream and no copies: the socket's buffers go to the kernel.
import type { FileHandle } from 'node:fs/promises';
import { finished, type Readable } from 'node:stream';

/**
 * Bytes gathered before a write is handed to the threadpool: every hand-off wakes a worker
 * thread (and may preempt the main thread on a busy machine), so socket-sized writes cost too
 * many; much larger ones (8-16 MiB) measured two to four times slower into the page cache and
 * stall reading meanwhile. The last write of a body takes whatever is left.
 */
const WRITE_BATCH = 1024 * 1024;
/** Bytes queued behind the write in flight before the body is read no further. */
const MAX_BACKLOG = 2 * 1024 * 1024;

async function writeFully(fh: FileHandle, buffers: Buffer[], length: number): Promise<void> {
  let { bytesWritten } = await fh.writev(buffers);
  // A short write (a full disk reports ENOSPC on the retry) continues with the rest.
  while (bytesWritten < length) {
    const rest = Buffer.concat(buffers).subarray(bytesWritten);
    bytesWritten += (await fh.write(rest)).bytesWritten;
  }
}

class BatchWriter {
  private queue: Buffer[] = [];
  private queued = 0;
  private running: Promise<void> | null = null;
  private error: unknown = null;
  /** Set once the body has ended: what is left is written however small. */
  private flushing = false;

  constructor(
    private readonly fh: FileHandle,
    /** Called when queued bytes are handed to a write: the backlog just shrank. */
    private readonly onTaken: () => void,
    private readonly onWritten: (bytes: number) => void,
  ) {}

  get backlog(): number {
    return this.queued;
  }

  push(chunk: Buffer): void {
    if (this.error) throw this.error;
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.queued >= WRITE_BATCH) this.running ??= this.run();
  }

  /** Writes everything queued and waits for it; throws the first write error. */
  async flush(): Promise<void> {
    this.flushing = true;
    // A write in flight takes the rest when it is done.
    if (this.queued > 0 && !this.error) this.running ??= this.run();
    await this.settle();
  }

  /** Waits for the writes started so far; throws the first write error. */
  async settle(): Promise<void> {
    await this.running;
    if (this.error) throw this.error;
  }

  private async run(): Promise<void> {
    try {
      while (this.queued >= WRITE_BATCH || (this.flushing && this.queue.length > 0)) {
        const batch = this.queue;
        const length = this.queued;
        this.queue = [];
        this.queued = 0;
        this.onTaken();
        await writeFully(this.fh, batch, length);
        this.onWritten(length);
      }
    } catch (err) {
      this.error = err;
      this.queue = [];
      this.queued = 0;
    } finally {
      this.running = null;
    }
  }
}

/**
 * Appends all of `source` to `fh` and returns the byte count. The body flows ('data' events,
 * no per-chunk promise) and is paused only while MAX_BACKLOG bytes wait for the disk. On
 * failure every write already started has finished before this rejects, so the caller can cut
 * the file back safely.
 */
export function appendStream(
  source: Readable,
  fh: FileHandle,
  onChunk: (chunk: Buffer) => void,
  onWritten: (bytes: number) => void,
): Promise<number> {
  let total = 0;
  let paused = false;
  // Reading goes on while a batch is being written; it stops only when the next batch is full.
  const writer = new BatchWriter(
    fh,
    () => {
      if (paused) {
        paused = false;
        source.resume();
      }
    },
    onWritten,
  );
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => {
      source.off('data', onData);
      // The rest of the body is discarded so the error response can still be read.
      source.resume();
      void writer.settle().finally(() => reject(err));
    };
    const onData = (chunk: Buffer) => {
      onChunk(chunk);
      total += chunk.length;
      try {
        writer.push(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      if (writer.backlog >= MAX_BACKLOG) {
        paused = true;
        source.pause();
      }
    };
    source.on('data', onData);
    finished(source, (err) => {
      if (err) {
        fail(err);
        return;
      }
      writer.flush().then(() => resolve(total), reject);
    });
  });
}
