import { randomFillSync } from 'node:crypto';

// Ids are cut from a pooled random buffer, hex-encoded as a whole: one getrandom() and one
// encoding per 256 ids instead of one of each per span.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolHex = '';
let offset = POOL_BYTES;
const ZEROS: Record<number, string> = { 8: '0'.repeat(16), 16: '0'.repeat(32) };

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    poolHex = randomFillSync(pool).toString('hex');
    offset = 0;
  }
  const hex = poolHex.slice(2 * offset, 2 * (offset + bytes));
  offset += bytes;
  // An all-zero id is invalid in W3C trace context; the odds are 2^-64, but never emit one.
  return hex === ZEROS[bytes] ? randomHex(bytes) : hex;
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);
