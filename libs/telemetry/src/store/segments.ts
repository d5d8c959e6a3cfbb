import { readdirSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

// Segments are named by a zero-padded sequence number so that name order is write order.
const SEGMENT_RE = /^spans-(\d{12})\.jsonl$/;

export interface Segment {
  seq: number;
  path: string;
}

export function segmentPath(dir: string, seq: number): string {
  return join(dir, `spans-${String(seq).padStart(12, '0')}.jsonl`);
}

function fromNames(dir: string, names: string[]): Segment[] {
  const segments: Segment[] = [];
  for (const name of names) {
    const m = SEGMENT_RE.exec(name);
    if (m) segments.push({ seq: Number(m[1]), path: join(dir, name) });
  }
  return segments.sort((a, b) => a.seq - b.seq);
}

/** The segments in `dir`, oldest first; none when the directory does not exist. */
export function listSegmentsSync(dir: string): Segment[] {
  try {
    return fromNames(dir, readdirSync(dir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function listSegments(dir: string): Promise<Segment[]> {
  try {
    return fromNames(dir, await readdir(dir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Size of a segment, 0 if another process already pruned it. */
export function segmentSizeSync(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}
