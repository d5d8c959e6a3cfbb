import { describe, expect, it } from 'vitest';
import {
  Code,
  encodeFrame,
  FrameReader,
  HEADER_LENGTH,
  MAX_MESSAGE_LENGTH,
  MessageType,
  TtrpcError,
} from '../src/index';

const header = (length: number, streamId: number, type: number, flags = 0) => {
  const b = Buffer.alloc(HEADER_LENGTH);
  b.writeUInt32BE(length, 0);
  b.writeUInt32BE(streamId, 4);
  b.writeUInt8(type, 8);
  b.writeUInt8(flags, 9);
  return b;
};

describe('framing', () => {
  it('writes the 10-byte big-endian header upstream reads', () => {
    const frame = encodeFrame(0x01020304, MessageType.Response, Buffer.from('hi'), 0x4);
    expect(frame.toString('hex')).toBe('00000002' + '01020304' + '02' + '04' + '6869');
  });

  it('reassembles frames fed one byte at a time', () => {
    const wire = Buffer.concat([
      encodeFrame(1, MessageType.Request, Buffer.from('first')),
      encodeFrame(3, MessageType.Request, Buffer.alloc(0)),
      encodeFrame(5, MessageType.Data, Buffer.from('third'), 0x1),
    ]);
    const reader = new FrameReader();
    const frames = [...wire].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(frames.map((f) => [f.streamId, f.type, f.flags, f.payload?.toString()])).toEqual([
      [1, 1, 0, 'first'],
      [3, 1, 0, ''],
      [5, 3, 1, 'third'],
    ]);
  });

  it('returns every frame of a chunk that holds many, keeping a trailing partial one', () => {
    const frames = Array.from({ length: 100 }, (_, i) =>
      encodeFrame(2 * i + 1, MessageType.Request, Buffer.from(`m${i}`)),
    );
    const wire = Buffer.concat(frames);
    const reader = new FrameReader();
    const first = reader.push(wire.subarray(0, wire.length - 3));
    expect(first).toHaveLength(99);
    const rest = reader.push(wire.subarray(wire.length - 3));
    expect(rest.map((f) => f.payload?.toString())).toEqual(['m99']);
  });

  it('skips an oversized payload across chunks and reports it, then reads on', () => {
    const reader = new FrameReader();
    const length = MAX_MESSAGE_LENGTH + 1;
    const events = [
      ...reader.push(header(length, 7, MessageType.Request)),
      ...reader.push(Buffer.alloc(MAX_MESSAGE_LENGTH)),
    ];
    // Reported as soon as the header is read; the payload is discarded, not buffered.
    expect(events).toEqual([
      { length, streamId: 7, type: MessageType.Request, flags: 0, oversized: true },
    ]);
    const after = reader.push(
      Buffer.concat([Buffer.alloc(1), encodeFrame(9, MessageType.Request, Buffer.from('ok'))]),
    );
    expect(after.map((f) => [f.streamId, f.payload?.toString()])).toEqual([[9, 'ok']]);
  });

  it('skips an oversized frame that arrives whole in one chunk', () => {
    const length = MAX_MESSAGE_LENGTH + 10;
    const wire = Buffer.concat([
      header(length, 1, MessageType.Request),
      Buffer.alloc(length),
      encodeFrame(3, MessageType.Request, Buffer.from('next')),
    ]);
    const frames = new FrameReader().push(wire);
    expect(frames.map((f) => [f.streamId, f.oversized ?? false])).toEqual([
      [1, true],
      [3, false],
    ]);
  });

  it('accepts exactly the maximum size and refuses to write more', () => {
    const max = encodeFrame(1, MessageType.Request, Buffer.alloc(MAX_MESSAGE_LENGTH));
    expect(new FrameReader().push(max)[0]?.payload?.length).toBe(MAX_MESSAGE_LENGTH);
    let error: unknown;
    try {
      encodeFrame(1, MessageType.Request, Buffer.alloc(MAX_MESSAGE_LENGTH + 1));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TtrpcError);
    expect((error as TtrpcError).code).toBe(Code.ResourceExhausted);
  });
});
