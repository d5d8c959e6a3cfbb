import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';

export const run = promisify(execFile);

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export async function scratchDir(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), `berth-ti-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface TarMember {
  header: Header;
  body: Buffer;
}

/** Reads a tar (gzip or not, file or buffer) into memory; for small test tars only. */
export async function readTar(source: string | Buffer, gzip = false): Promise<TarMember[]> {
  const raw = typeof source === 'string' ? createReadStream(source) : Readable.from([source]);
  const input = gzip ? raw.pipe(createGunzip()) : raw;
  const members: TarMember[] = [];
  const parser = extract();
  input.pipe(parser);
  for await (const entry of parser) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    members.push({ header: entry.header, body: Buffer.concat(chunks) });
  }
  return members;
}

export const readJson = async <T = unknown>(path: string): Promise<T> =>
  JSON.parse(await readFile(path, 'utf8')) as T;
