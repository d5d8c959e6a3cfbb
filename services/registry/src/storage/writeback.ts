// Early writeback for large uploads.
import type { FileHandle } from 'node:fs/promises';

/** Bytes written between background writeback starts. */
const FLUSH_EVERY = 32 * 1024 * 1024;

/**
 * Starts writeback of a large upload while it is still arriving (an fdatasync in the
 * threadpool, beside the writes), so that the one fsync that makes the blob durable (in
 * finish) only waits for the tail instead of the whole file.
 */
export class BackgroundFlusher {
  private pending = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly fh: FileHandle) {}

  wrote(bytes: number): void {
    this.pending += bytes;
    if (this.pending < FLUSH_EVERY || this.running) return;
    this.pending = 0;
    this.running = this.fh
      .datasync()
      // Only an optimisation: the fsync in finish() is what guarantees durability.
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
  }

  async idle(): Promise<void> {
    await this.running;
  }
}
