// Docker's stdio multiplexing for non-TTY streams: an 8-byte header (stream id, three zero
// bytes, big-endian payload length) before each chunk. 0 stdin, 1 stdout, 2 stderr.
export type StreamName = 'stdin' | 'stdout' | 'stderr';
const STREAM_ID: Record<StreamName, number> = { stdin: 0, stdout: 1, stderr: 2 };

export function frame(stream: StreamName, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = STREAM_ID[stream];
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
