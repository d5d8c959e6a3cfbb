// ttrpc client: one connection, many concurrent calls told apart by odd, increasing stream ids.
import net from 'node:net';
import { once } from 'node:events';
import { socketPath } from './address';
import { encodeFrame, FrameReader, MessageType, oversizeMessage, type Frame } from './framing';
import { decodeResponse, encodeRequest } from './messages';
import type { Context } from '@opentelemetry/api';
import { metadataToPairs, withTraceContext, type Metadata } from './metadata';
import { deadlineExceeded, startDeadline } from './deadline';
import { closedError, Code, TtrpcError } from './status';

export interface CallOptions {
  metadata?: Metadata;
  /** Sent to the server as the request's timeout, and enforced locally. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The trace context to send (default: the active one). */
  trace?: Context;
}

interface PendingCall {
  resolve(payload: Uint8Array): void;
  reject(err: Error): void;
}

export class TtrpcClient {
  /** Settles when the connection is gone, for whatever reason. */
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, PendingCall>();
  private nextStreamId = 1;

  static async connect(address: string): Promise<TtrpcClient> {
    const socket = net.createConnection(socketPath(address));
    await once(socket, 'connect');
    return new TtrpcClient(socket);
  }

  constructor(private readonly socket: net.Socket) {
    this.closed = new Promise((resolve) => socket.once('close', resolve)).then(() => {
      for (const call of this.pending.values()) call.reject(closedError());
    });
    socket.on('error', () => {}); // every error ends in 'close', which fails what is pending
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) this.receive(frame);
    });
  }

  /** Calls service/method with an encoded request message; resolves to the encoded response. */
  call(
    service: string,
    method: string,
    payload: Uint8Array,
    { metadata = {}, timeoutMs = 0, signal, trace }: CallOptions = {},
  ): Promise<Uint8Array> {
    if (this.socket.destroyed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(cancelled());
    const streamId = this.nextStreamId;
    this.nextStreamId += 2;
    const request = {
      service,
      method,
      payload,
      timeoutNano: Math.round(timeoutMs * 1e6),
      metadata: metadataToPairs(withTraceContext(metadata, trace)),
    };
    let frame: Buffer;
    try {
      frame = encodeFrame(streamId, MessageType.Request, encodeRequest(request));
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => settle(() => reject(cancelled()));
      const timer = startDeadline(timeoutMs, () => settle(() => reject(deadlineExceeded())));
      const settle = (finish: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(streamId);
        finish();
      };
      signal?.addEventListener('abort', onAbort);
      this.pending.set(streamId, {
        resolve: (bytes) => settle(() => resolve(bytes)),
        reject: (err) => settle(() => reject(err)),
      });
      this.socket.write(frame);
    });
  }

  /** Closes the connection; pending calls fail as closed. */
  async close(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }

  private receive(frame: Frame): void {
    const call = this.pending.get(frame.streamId);
    if (!call) return; // the answer to a call that already timed out or was cancelled
    if (frame.oversized) {
      return call.reject(new TtrpcError(Code.ResourceExhausted, oversizeMessage(frame.length)));
    }
    if (frame.type !== MessageType.Response) {
      return call.reject(new TtrpcError(Code.Internal, 'unknown message type received'));
    }
    try {
      const { status, payload } = decodeResponse(frame.payload);
      if (status && status.code !== Code.OK) {
        call.reject(new TtrpcError(status.code as Code, status.message));
      } else call.resolve(payload);
    } catch (err) {
      call.reject(new TtrpcError(Code.Internal, `unmarshal response error: ${String(err)}`));
    }
  }
}

const cancelled = () => new TtrpcError(Code.Canceled, 'context canceled');
