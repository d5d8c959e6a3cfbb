// Docker's JSON progress stream (the jsonmessage lines the CLI renders): one JSON object per
// line with status, id and progressDetail, an aux object, or an error as the last line.
import type { Writable } from 'node:stream';

/** Byte-progress lines per layer are sent at most this often (the CLI redraws on each). */
const PROGRESS_INTERVAL_MS = 100;

export class ProgressStream {
  private readonly lastProgress = new Map<string, number>();

  constructor(private readonly out: Writable) {}

  status(status: string, id?: string): void {
    this.write(id === undefined ? { status } : { status, progressDetail: {}, id });
  }

  /** A "Downloading"/"Pushing" line with bytes so far, throttled per id unless complete. */
  progress(status: string, id: string, current: number, total: number): void {
    const now = Date.now();
    if (current < total && now - (this.lastProgress.get(id) ?? 0) < PROGRESS_INTERVAL_MS) return;
    this.lastProgress.set(id, now);
    this.write({ status, progressDetail: { current, total }, id });
  }

  aux(aux: object): void {
    this.write({ progressDetail: {}, aux });
  }

  error(message: string): void {
    this.write({ errorDetail: { message }, error: message });
  }

  end(): void {
    this.out.end();
  }

  private write(message: object): void {
    this.out.write(`${JSON.stringify(message)}\n`);
  }
}

/** The 12-hex short form Docker uses as the id of a layer's progress lines. */
export const shortDigest = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);
