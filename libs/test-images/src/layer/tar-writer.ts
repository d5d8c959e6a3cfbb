import { pack as tarPack, type Pack } from 'tar-stream';
import { once } from 'node:events';
import { FIXED_MTIME } from '../reproducible';
import type { EntrySource, LayerEntry } from './entries';

type TarHeader = Parameters<Pack['entry']>[0];

/**
 * Streams `entries` as a tar archive with fixed mtimes and the given owners. The returned
 * pack must be consumed (piped) while `written` settles, or backpressure stalls it.
 */
export function packEntries(entries: EntrySource): { tar: Pack; written: Promise<void> } {
  const tar = tarPack();
  const written = (async () => {
    try {
      for await (const entry of entries) await writeEntry(tar, entry);
      tar.finalize();
    } catch (err) {
      tar.destroy(err as Error);
      throw err;
    }
  })();
  // The pipeline consuming `tar` reports the same failure; keep this one from going unhandled.
  written.catch(() => undefined);
  return { tar, written };
}

async function writeEntry(tar: Pack, entry: LayerEntry): Promise<void> {
  const header = toHeader(entry);
  if (entry.type !== 'file') return openEntry(tar, header).finished;
  if (Buffer.isBuffer(entry.body)) return openEntry(tar, header, entry.body).finished;

  const { size, open } = entry.body;
  const { sink, finished } = openEntry(tar, { ...header, size });
  try {
    for await (const chunk of open()) {
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
  } catch (err) {
    sink.destroy(err as Error);
    throw err;
  }
  sink.end(undefined); // streamx's typings demand an argument; undefined writes nothing
  return finished;
}

/** Starts one tar member; `finished` settles when tar-stream has taken all of it. */
function openEntry(tar: Pack, header: TarHeader, body?: Buffer) {
  let sink!: ReturnType<Pack['entry']>;
  const finished = new Promise<void>((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    sink = body ? tar.entry(header, body, done) : tar.entry(header, done);
  });
  // A failure (e.g. a body of the wrong size) reaches `done` too, and from there whoever
  // awaits `finished`; keep the sink's 'error' event and the rejection from going unhandled.
  sink.on('error', () => undefined);
  finished.catch(() => undefined);
  return { sink, finished };
}

function toHeader(entry: LayerEntry): TarHeader {
  const header: TarHeader = {
    name: entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path,
    type: entry.type,
    mode: entry.mode,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    mtime: FIXED_MTIME,
  };
  if (entry.type === 'symlink' || entry.type === 'link') header.linkname = entry.target;
  if (entry.type === 'character-device' || entry.type === 'block-device') {
    header.devmajor = entry.major;
    header.devminor = entry.minor;
  }
  if (entry.xattrs) header.pax = xattrRecords(entry.xattrs);
  return header;
}

/**
 * tar-stream writes PAX values as UTF-8 text, so binary values survive only when every byte
 * is 7-bit; reject anything else instead of silently re-encoding it.
 */
function xattrRecords(xattrs: Record<string, Buffer>): Record<string, string> {
  const records: Record<string, string> = {};
  for (const [name, value] of Object.entries(xattrs)) {
    if (value.some((byte) => byte > 0x7f)) {
      throw new Error(`xattr ${name}: only 7-bit values can be written through tar-stream`);
    }
    records[`SCHILY.xattr.${name}`] = value.toString('latin1');
  }
  return records;
}
