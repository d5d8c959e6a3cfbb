// proto/descriptor.snapshot.json: the committed wire listing of proto/. Any change to a
// field number, type, label, enum value or method shows up as a diff against it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROTO_DIR } from './proto-files';
import type { WireListing } from './wire-listing';

export const SNAPSHOT_FILE = join(PROTO_DIR, 'descriptor.snapshot.json');

/** Pretty JSON with each field, enum value and method on one line, so diffs stay readable. */
export function renderSnapshot(listing: WireListing): string {
  return `${stringifyToDepth(listing, 3, '')}\n`;
}

function stringifyToDepth(value: unknown, inlineDepth: number, indent: string): string {
  if (inlineDepth === 0 || typeof value !== 'object' || value === null) {
    return JSON.stringify(value);
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  const lines = entries.map(
    ([key, member]) =>
      `${inner}${JSON.stringify(key)}: ${stringifyToDepth(member, inlineDepth - 1, inner)}`,
  );
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export async function readSnapshot(): Promise<WireListing> {
  return JSON.parse(await readFile(SNAPSHOT_FILE, 'utf8')) as WireListing;
}
