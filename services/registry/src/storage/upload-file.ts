// The data file of an upload session, kept open across the session's requests: a chunked push
// (POST, PATCH, PUT) opens it once, and the final fsync runs on the descriptor that wrote it.
import { type FileHandle, open } from 'node:fs/promises';

/** A session idle this long gives its descriptor back (abandoned pushes must not pile up fds). */
const IDLE_CLOSE_MS = 30_000;

export class UploadFile {
  private handle: Promise<FileHandle> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(readonly path: string) {}

  /** The open descriptor, in append mode ('a' creates the file on first use). */
  acquire(): Promise<FileHandle> {
    this.cancelIdleClose();
    if (!this.handle) {
      const opening = open(this.path, 'a');
      this.handle = opening;
      // A failed open must not stick: the next request tries again.
      opening.catch(() => {
        if (this.handle === opening) this.handle = null;
      });
    }
    return this.handle;
  }

  /** The request is done with the descriptor; it stays open for the next one for a while. */
  release(): void {
    this.cancelIdleClose();
    if (!this.handle) return;
    this.idleTimer = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    this.cancelIdleClose();
    const handle = this.handle;
    this.handle = null;
    if (!handle) return;
    await (await handle.catch(() => null))?.close();
  }

  private cancelIdleClose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
