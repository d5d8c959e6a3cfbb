// ttrpc server: unary methods on a unix socket (by path or an inherited listening fd), many
// concurrent requests per connection, statuses shaped like upstream's.
import net from 'node:net';
import { once } from 'node:events';
import { context } from '@opentelemetry/api';
import { socketPath } from './address';
import { encodeFrame, FrameReader, MessageType, oversizeMessage, type Frame } from './framing';
import { decodeRequest, encodeResponse, type Request, type Status } from './messages';
import { metadataFromPairs, traceContextFrom, type Metadata } from './metadata';
import { deadlineExceeded, startDeadline } from './deadline';
import { Code, statusFromError, TtrpcError } from './status';

export interface CallContext {
  service: string;
  method: string;
  metadata: Metadata;
  /** Epoch milliseconds by which the caller wants an answer, if it set a timeout. */
  deadline?: number;
  /** Aborted at the deadline or when the caller's connection goes away. */
  signal: AbortSignal;
}

export type Handler = (request: Uint8Array, ctx: CallContext) => Promise<Uint8Array>;
export type ServiceMethods = Record<string, Handler>;
/** A socket path (optionally `unix://`-prefixed) or an already listening socket's fd. */
export type ListenTarget = string | { fd: number };

const OK: Status = { code: Code.OK, message: '' };
const EMPTY = new Uint8Array(0);

export class TtrpcServer {
  private readonly services = new Map<string, ServiceMethods>();
  private readonly connections = new Set<ServerConnection>();
  private readonly listener = net.createServer((socket) => this.accept(socket));
  private draining = false;

  register(service: string, methods: ServiceMethods): void {
    if (this.services.has(service)) throw new Error(`duplicate service ${service} registered`);
    this.services.set(service, methods);
  }

  async listen(target: ListenTarget): Promise<void> {
    this.listener.listen(typeof target === 'string' ? socketPath(target) : target);
    await once(this.listener, 'listening');
  }

  /** Stops accepting, lets in-flight calls finish, then closes every connection. */
  async shutdown(): Promise<void> {
    this.draining = true;
    const stopped = this.stopListening();
    for (const conn of this.connections) conn.closeWhenIdle();
    await Promise.all([stopped, ...[...this.connections].map((conn) => conn.closed)]);
  }

  /** Closes everything now; in-flight handlers see their signal aborted. */
  async close(): Promise<void> {
    this.draining = true;
    const stopped = this.stopListening();
    for (const conn of this.connections) conn.destroy();
    await Promise.all([stopped, ...[...this.connections].map((conn) => conn.closed)]);
  }

  private stopListening(): Promise<void> {
    if (!this.listener.listening) return Promise.resolve();
    return new Promise((resolve) => this.listener.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn = new ServerConnection(socket, (request) => this.lookup(request));
    this.connections.add(conn);
    void conn.closed.then(() => this.connections.delete(conn));
    if (this.draining) conn.closeWhenIdle();
  }

  private lookup({ service, method }: Request): Handler {
    const methods = this.services.get(service);
    if (!methods) throw new TtrpcError(Code.Unimplemented, `service ${service}`);
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!handler) throw new TtrpcError(Code.Unimplemented, `method ${method}`);
    return handler;
  }
}

class ServerConnection {
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader();
  private readonly inflight = new Map<number, AbortController>();
  private lastStreamId = 0;
  private closeOnIdle = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly lookup: (request: Request) => Handler,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', resolve)).then(() =>
      this.abortAll(),
    );
    socket.on('error', () => {}); // a reset peer is an ordinary end of connection; 'close' follows
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.reader.push(chunk)) this.receive(frame);
    });
  }

  closeWhenIdle(): void {
    this.closeOnIdle = true;
    if (this.inflight.size === 0) this.socket.end(() => this.socket.destroy());
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(frame: Frame): void {
    const { streamId } = frame;
    const reject = (code: Code, message: string) => this.respond(streamId, { code, message });
    if (frame.oversized) return reject(Code.ResourceExhausted, oversizeMessage(frame.length));
    if (streamId % 2 !== 1) {
      return reject(Code.InvalidArgument, 'StreamID must be odd for client initiated streams');
    }
    // No streaming methods are served, so a data frame can only belong to a finished stream.
    if (frame.type === MessageType.Data) {
      return reject(Code.InvalidArgument, 'StreamID is no longer active');
    }
    if (frame.type !== MessageType.Request) return; // unknown types are ignored for compatibility
    if (streamId <= this.lastStreamId) {
      return reject(Code.InvalidArgument, 'StreamID cannot be re-used and must increment');
    }
    this.lastStreamId = streamId;
    let request: Request;
    try {
      request = decodeRequest(frame.payload);
    } catch (err) {
      return reject(Code.InvalidArgument, `unmarshal request error: ${String(err)}`);
    }
    void this.serve(streamId, request);
  }

  private async serve(streamId: number, request: Request): Promise<void> {
    const abort = new AbortController();
    this.inflight.set(streamId, abort);
    const timeoutMs = request.timeoutNano / 1e6;
    const timer = startDeadline(timeoutMs, () => abort.abort(deadlineExceeded()));
    const metadata = metadataFromPairs(request.metadata);
    const ctx: CallContext = {
      service: request.service,
      method: request.method,
      metadata,
      deadline: timeoutMs > 0 ? Date.now() + timeoutMs : undefined,
      signal: abort.signal,
    };
    try {
      const handler = this.lookup(request);
      const payload = await context.with(traceContextFrom(metadata), () =>
        handler(request.payload, ctx),
      );
      this.respond(streamId, OK, payload);
    } catch (err) {
      this.respond(streamId, statusFromError(err));
    } finally {
      clearTimeout(timer);
      this.inflight.delete(streamId);
      if (this.closeOnIdle) this.closeWhenIdle();
    }
  }

  private respond(streamId: number, status: Status, payload: Uint8Array = EMPTY): void {
    if (this.socket.destroyed) return;
    const frame = (s: Status, p: Uint8Array) =>
      encodeFrame(streamId, MessageType.Response, encodeResponse({ status: s, payload: p }));
    try {
      this.socket.write(frame(status, payload));
    } catch (err) {
      // An answer too large to send becomes an error status the client can read.
      this.socket.write(frame(statusFromError(err), EMPTY));
    }
  }

  private abortAll(): void {
    for (const abort of this.inflight.values()) {
      abort.abort(new TtrpcError(Code.Canceled, 'context canceled'));
    }
  }
}
