import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { StoredSpan } from '../record';
import { traceDirFrom } from '../config';
import { listSegments } from './segments';

export interface ReadSpansOptions {
  /** Store directory; default BERTH_TRACE_DIR, else /var/lib/berth/traces. */
  dir?: string;
  traceId?: string;
  /** Only spans that started at or after this instant. */
  since?: Date;
  /** Only spans recorded by this resource service.name. */
  service?: string;
}

const RECORD_START = '{"traceId":';

/**
 * Every span in the store, oldest segment first, in write order within a segment. Lines that
 * do not parse (a torn write from a crash, or a line a concurrent writer is still appending)
 * are skipped; a complete record glued to a torn one is recovered from its `{"traceId":` start.
 */
export async function* readSpans(opts: ReadSpansOptions = {}): AsyncGenerator<StoredSpan> {
  const sinceNs = opts.since ? BigInt(opts.since.getTime()) * 1_000_000n : undefined;
  for (const segment of await listSegments(opts.dir ?? traceDirFrom())) {
    // A span is written after it ends, so a segment last written before `since` holds none.
    if (opts.since && (await lastWrittenMs(segment.path)) < opts.since.getTime()) continue;
    for await (const span of readSegment(segment.path)) {
      if (opts.traceId !== undefined && span.traceId !== opts.traceId) continue;
      if (opts.service !== undefined && span.resource['service.name'] !== opts.service) continue;
      if (sinceNs !== undefined && BigInt(span.startTimeUnixNano) < sinceNs) continue;
      yield span;
    }
  }
}

async function lastWrittenMs(path: string): Promise<number> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return -Infinity; // pruned meanwhile
  }
}

async function* readSegment(path: string): AsyncGenerator<StoredSpan> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<boolean>((resolve) => {
    stream.once('open', () => resolve(true));
    // Pruned by a writer between listing and opening: nothing to read.
    stream.once('error', () => resolve(false));
  });
  if (!(await opened)) return;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    const span = parseLine(line);
    if (span) yield span;
  }
}

function parseLine(line: string): StoredSpan | undefined {
  let start = line.indexOf(RECORD_START);
  while (start !== -1) {
    const span = tryParse(line.slice(start));
    if (span) return span;
    start = line.indexOf(RECORD_START, start + 1);
  }
  return undefined;
}

function tryParse(text: string): StoredSpan | undefined {
  try {
    const value = JSON.parse(text) as StoredSpan;
    return typeof value.traceId === 'string' && typeof value.spanId === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
