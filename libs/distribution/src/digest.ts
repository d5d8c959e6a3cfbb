// sha256 verification of content while it streams: nothing is trusted before its digest matches.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError } from './errors';
import type { Descriptor } from './media-types';

export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function assertSha256(digest: string): void {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new DigestMismatchError(`unsupported digest ${digest}`);
  }
}

/** Checks a complete buffer against its descriptor (or a bare digest when the size is unknown). */
export function verifyBuffer(data: Buffer, expected: { digest: string; size?: number }): void {
  assertSha256(expected.digest);
  if (expected.size !== undefined && data.length !== expected.size) {
    throw new DigestMismatchError(
      `${expected.digest}: got ${data.length} bytes, descriptor says ${expected.size}`,
    );
  }
  const actual = sha256(data);
  if (actual !== expected.digest) {
    throw new DigestMismatchError(`digest mismatch: expected ${expected.digest}, got ${actual}`);
  }
}

/**
 * A pass-through that hashes what flows and fails (instead of ending) when the content is longer
 * or shorter than the descriptor or its digest differs. `onBytes` sees the running total.
 */
export function verifyingStream(desc: Descriptor, onBytes?: (total: number) => void): Transform {
  assertSha256(desc.digest);
  const hash = createHash('sha256');
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      total += chunk.length;
      if (total > desc.size) {
        callback(new DigestMismatchError(`${desc.digest}: more than ${desc.size} bytes`));
        return;
      }
      hash.update(chunk);
      onBytes?.(total);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = `sha256:${hash.digest('hex')}`;
      if (total !== desc.size) {
        callback(new DigestMismatchError(`${desc.digest}: got ${total} of ${desc.size} bytes`));
      } else if (actual !== desc.digest) {
        callback(
          new DigestMismatchError(`digest mismatch: expected ${desc.digest}, got ${actual}`),
        );
      } else {
        callback();
      }
    },
  });
}
