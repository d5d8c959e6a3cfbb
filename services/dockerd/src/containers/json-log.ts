// The json-file log driver: each line of output becomes {"log","stream","time"} in
// <container dir>/<id>-json.log, the file `docker logs` reads and follows.
import { createReadStream, existsSync, openSync, closeSync, writeSync, fstatSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StreamName } from '../api/mux';

export interface LogEntry {
  log: string;
  stream: StreamName;
  time: string;
}

/** Nanosecond RFC 3339 time, as Go's time.RFC3339Nano prints it in UTC. */
export function rfc3339Nano(
  date = new Date(),
  nanos = process.hrtime.bigint() % 1_000_000n,
): string {
  const iso = date.toISOString();
  const fraction = `${iso.slice(20, 23)}${nanos.toString().padStart(6, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

const MAX_PARTIAL = 16 * 1024;

/** Appends lines to the log file; subscribers see each entry as it is written. */
export class JsonLogWriter {
  private fd: number;
  private readonly partial: Record<string, Buffer> = {};
  private readonly listeners = new Set<(entry: LogEntry) => void>();

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o640);
  }

  /** Bytes written so far: entries after this offset reach subscribers, not the file reader. */
  size(): number {
    return fstatSync(this.fd).size;
  }

  subscribe(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(stream: StreamName, chunk: Buffer): void {
    let data = this.partial[stream] ? Buffer.concat([this.partial[stream], chunk]) : chunk;
    delete this.partial[stream];
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      this.append(stream, data.subarray(0, nl + 1));
      data = data.subarray(nl + 1);
    }
    // Docker splits lines longer than its buffer into partial entries.
    if (data.length >= MAX_PARTIAL) this.append(stream, data);
    else if (data.length > 0) this.partial[stream] = data;
  }

  /** Writes out what is left of unterminated lines (the stream ended). */
  flush(stream: StreamName): void {
    const rest = this.partial[stream];
    delete this.partial[stream];
    if (rest) this.append(stream, rest);
  }

  close(): void {
    closeSync(this.fd);
    this.fd = -1;
  }

  private append(stream: StreamName, data: Buffer): void {
    const entry: LogEntry = { log: data.toString('utf8'), stream, time: rfc3339Nano() };
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    for (const listener of this.listeners) listener(entry);
  }
}

/** Reads the entries of a log file up to `end` bytes. */
export async function readLogEntries(path: string, end: number): Promise<LogEntry[]> {
  if (!existsSync(path) || end === 0) return [];
  const lines = createInterface({ input: createReadStream(path, { start: 0, end: end - 1 }) });
  const entries: LogEntry[] = [];
  for await (const line of lines) {
    if (line) entries.push(JSON.parse(line) as LogEntry);
  }
  return entries;
}
