// Coordination between garbage collection and pushes in the same process. A push pins the
// digests it is about to reference; the collector deletes only digests that are neither pinned
// nor recently used, and marks them while it deletes so that a push can wait for the outcome.
export class Liveness {
  private readonly pins = new Map<string, number>();
  private readonly lastUse = new Map<string, number>();
  private readonly deleting = new Map<string, Promise<void>>();

  /** Records that a client just saw or wrote this digest (it may reference it soon). */
  touch(digest: string): void {
    this.lastUse.set(digest, Date.now());
  }

  /** Pins digests until the returned release is called, then waits out deletions in flight. */
  async pin(digests: Iterable<string>): Promise<() => void> {
    const held = [...new Set(digests)];
    for (const d of held) this.pins.set(d, (this.pins.get(d) ?? 0) + 1);
    await Promise.all(held.map((d) => this.deleting.get(d)));
    return () => {
      for (const d of held) {
        const n = (this.pins.get(d) ?? 1) - 1;
        if (n === 0) this.pins.delete(d);
        else this.pins.set(d, n);
        this.touch(d);
      }
    };
  }

  /**
   * Runs `remove` unless the digest is pinned or was used at or after `cutoff` (ms).
   * The check and the mark happen synchronously, so a pin taken afterwards waits for `remove`.
   */
  async deleteIfIdle(
    digest: string,
    cutoff: number,
    remove: () => Promise<void>,
  ): Promise<boolean> {
    if (this.pins.has(digest) || (this.lastUse.get(digest) ?? 0) >= cutoff) return false;
    const done = remove();
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.deleting.set(digest, settled);
    try {
      await done;
    } finally {
      if (this.deleting.get(digest) === settled) this.deleting.delete(digest);
    }
    return true;
  }

  /** Drops usage records older than `cutoff` so the map does not grow without bound. */
  forget(cutoff: number): void {
    for (const [d, t] of this.lastUse) if (t < cutoff) this.lastUse.delete(d);
  }
}
