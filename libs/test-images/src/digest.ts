import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export function sha256Digest(data: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Hex part of a `sha256:<hex>` digest: the blob's file name in an OCI layout. */
export function digestHex(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (algorithm !== 'sha256' || !hex || !/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(`not a sha256 digest: ${digest}`);
  }
  return hex;
}

/** A pass-through stage that hashes and counts what flows through it. */
export class DigestTap extends Transform {
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }

  /** Valid once the stream has finished. */
  digest(): string {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }
}
