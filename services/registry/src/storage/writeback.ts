// Early writeback for large uploads.
import { open } from 'node:fs/promises';

/** Bytes received between background writeback starts. */
const FLUSH_EVERY = 32 * 1024 * 1024;

/**
 * Starts writeback of a large upload while it is still arriving, so that the one fsync that
 * makes the blob durable (in finish) only waits for the tail instead of the whole file.
 */
export class BackgroundFlusher {
  private pending = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly path: string) {}

  wrote(bytes: number): void {
    this.pending += bytes;
    if (this.pending < FLUSH_EVERY || this.running) return;
    this.pending = 0;
    this.running = open(this.path, 'r')
      .then(async (fh) => {
        try {
          await fh.datasync();
        } finally {
          await fh.close();
        }
      })
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
