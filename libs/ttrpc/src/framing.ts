// ttrpc framing: every message is a 10-byte header (uint32 BE payload length, uint32 BE stream
// id, uint8 type, uint8 flags) followed by the payload.
import { Code, TtrpcError } from './status';

export const HEADER_LENGTH = 10;
export const MAX_MESSAGE_LENGTH = 4 << 20;

export const MessageType = { Request: 1, Response: 2, Data: 3 } as const;
export const Flag = { RemoteClosed: 0x1, RemoteOpen: 0x2, NoData: 0x4 } as const;

export interface FrameHeader {
  length: number;
  streamId: number;
  type: number;
  flags: number;
}

/** A complete frame, or the header of one that exceeded MAX_MESSAGE_LENGTH and was skipped. */
export type Frame =
  | (FrameHeader & { payload: Buffer; oversized?: undefined })
  | (FrameHeader & { payload?: undefined; oversized: true });

export const oversizeMessage = (length: number) =>
  `message length ${length} exceed maximum message size of ${MAX_MESSAGE_LENGTH}`;

export function encodeFrame(
  streamId: number,
  type: number,
  payload: Uint8Array,
  flags = 0,
): Buffer {
  if (payload.length > MAX_MESSAGE_LENGTH) {
    throw new TtrpcError(Code.ResourceExhausted, oversizeMessage(payload.length));
  }
  const frame = Buffer.allocUnsafe(HEADER_LENGTH + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(streamId, 4);
  frame.writeUInt8(type, 8);
  frame.writeUInt8(flags, 9);
  frame.set(payload, HEADER_LENGTH);
  return frame;
}

/**
 * Reassembles frames from arbitrary socket chunks. Like upstream, an oversized payload is not
 * buffered: its bytes are discarded as they arrive and the frame is reported as oversized, so
 * the peer gets an error status and the connection stays usable.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private header: FrameHeader | undefined;
  private discarding = 0;

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    if (this.discarding > 0) {
      const skip = Math.min(this.discarding, chunk.length);
      this.discarding -= skip;
      chunk = chunk.subarray(skip);
    }
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    for (;;) {
      if (!this.header) {
        if (this.buffered < HEADER_LENGTH) break;
        const raw = this.take(HEADER_LENGTH);
        this.header = {
          length: raw.readUInt32BE(0),
          streamId: raw.readUInt32BE(4),
          type: raw.readUInt8(8),
          flags: raw.readUInt8(9),
        };
      }
      const header = this.header;
      if (header.length > MAX_MESSAGE_LENGTH) {
        const skip = Math.min(header.length, this.buffered);
        this.take(skip);
        this.discarding = header.length - skip;
        this.header = undefined;
        frames.push({ ...header, oversized: true });
        if (this.discarding > 0) break;
        continue;
      }
      if (this.buffered < header.length) break;
      frames.push({ ...header, payload: this.take(header.length) });
      this.header = undefined;
    }
    return frames;
  }

  /** Removes exactly n buffered bytes (n <= buffered), copying only when they span chunks. */
  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered -= n;
    return out;
  }
}
