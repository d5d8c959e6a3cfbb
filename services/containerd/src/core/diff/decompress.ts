import { Decompress } from 'fzstd';
import { Transform, type Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';

/** A Transform decoding a zstd stream (Node 20's zlib has no zstd). */
class ZstdDecoder extends Transform {
  private readonly decoder = new Decompress((data) => {
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error) => void): void {
    this.feed(chunk, false, cb);
  }

  override _flush(cb: (err?: Error) => void): void {
    this.feed(new Uint8Array(0), true, cb);
  }

  private feed(chunk: Uint8Array, final: boolean, cb: (err?: Error) => void): void {
    try {
      this.decoder.push(chunk, final);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}

export type Compression = 'gzip' | 'zstd' | 'none';

/** Detects the compression from the stream's first bytes, as upstream's DecompressStream. */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/**
 * The tar inside a small gzip or uncompressed layer held in memory, decoded in one call on
 * this thread; null when the layer is zstd or would inflate past `limit` bytes, which a
 * stream then handles without holding it all.
 */
export function decompressedSmall(blob: Buffer, limit: number): Buffer | null {
  const kind = detectCompression(blob);
  if (kind === 'none') return blob;
  if (kind === 'zstd') return null;
  try {
    return gunzipSync(blob, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return null;
    throw err;
  }
}

/** Decompresses a layer stream whatever its compression. */
export async function decompressed(input: Readable): Promise<Readable> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const onReadable = () => {
      const chunk =
        (input.read(4) as Buffer | null) ?? (input.readableEnded ? Buffer.alloc(0) : null);
      if (chunk === null) return;
      cleanup();
      input.unshift(chunk);
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      input.off('readable', onReadable);
      input.off('end', onEnd);
      input.off('error', onError);
    };
    input.on('readable', onReadable);
    input.on('end', onEnd);
    input.on('error', onError);
  });
  const kind = detectCompression(head);
  if (kind === 'none') return input;
  const decoder = kind === 'gzip' ? createGunzip({ chunkSize: 1 << 20 }) : new ZstdDecoder();
  input.on('error', (err) => decoder.destroy(err));
  return input.pipe(decoder);
}
