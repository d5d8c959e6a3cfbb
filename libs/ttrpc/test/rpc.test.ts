import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Code,
  decodeResponse,
  encodeFrame,
  encodeRequest,
  FrameReader,
  MAX_MESSAGE_LENGTH,
  MessageType,
  TtrpcClient,
  TtrpcError,
  TtrpcServer,
  type CallContext,
} from '../src/index';

const text = (s: string) => Buffer.from(s);
const str = (b: Uint8Array) => Buffer.from(b).toString();

async function codeOf(call: Promise<unknown>): Promise<[number, string]> {
  const err = await call.then(
    () => new Error('call succeeded'),
    (e: unknown) => e,
  );
  if (!(err instanceof TtrpcError)) throw err;
  return [err.code, err.message];
}

let dir: string;
let socket: string;
let server: TtrpcServer;
let client: TtrpcClient | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-ttrpc-'));
  socket = join(dir, 'ttrpc.sock');
  server = new TtrpcServer();
  server.register('test.Echo', {
    Echo: async (req) => req,
    Context: async (_req, ctx) =>
      text(JSON.stringify({ md: ctx.metadata, deadline: ctx.deadline })),
    Fail: async (req) => {
      throw new TtrpcError(Code.NotFound, `no ${str(req)}`);
    },
    Crash: async () => {
      throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    },
    Delay: async (req) => {
      await sleep(Number(str(req)));
      return req;
    },
  });
  await server.listen(`unix://${socket}`);
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const connect = async () => (client = await TtrpcClient.connect(socket));

describe('client and server', () => {
  it('round-trips bytes, metadata and the deadline', async () => {
    const c = await connect();
    expect(str(await c.call('test.Echo', 'Echo', text('hello')))).toBe('hello');
    const before = Date.now();
    const seen = JSON.parse(
      str(
        await c.call('test.Echo', 'Context', new Uint8Array(), {
          metadata: { 'X-Request': ['a', 'b'] },
          timeoutMs: 10_000,
        }),
      ),
    ) as { md: Record<string, string[]>; deadline: number };
    expect(seen.md).toEqual({ 'x-request': ['a', 'b'] });
    expect(seen.deadline).toBeGreaterThanOrEqual(before + 9_000);
    expect(seen.deadline).toBeLessThanOrEqual(Date.now() + 10_000);
  });

  it('treats a deadline beyond what a timer can hold as far away, not as expired', async () => {
    const c = await connect();
    const month = 30 * 24 * 3600 * 1000;
    const seen = JSON.parse(
      str(await c.call('test.Echo', 'Context', new Uint8Array(), { timeoutMs: month })),
    ) as { deadline: number };
    expect(seen.deadline).toBeGreaterThan(Date.now() + month - 60_000);
  });

  it('multiplexes concurrent calls that finish out of order', async () => {
    const c = await connect();
    const delays = Array.from({ length: 40 }, (_, i) => String((40 - i) * 2));
    const answers = await Promise.all(delays.map((d) => c.call('test.Echo', 'Delay', text(d))));
    expect(answers.map(str)).toEqual(delays);
  });

  it('answers an unknown service or method with Unimplemented, as upstream', async () => {
    const c = await connect();
    expect(await codeOf(c.call('test.Nope', 'Echo', text('')))).toEqual([
      Code.Unimplemented,
      'service test.Nope',
    ]);
    expect(await codeOf(c.call('test.Echo', 'toString', text('')))).toEqual([
      Code.Unimplemented,
      'method toString',
    ]);
  });

  it('carries handler error codes to the caller', async () => {
    const c = await connect();
    expect(await codeOf(c.call('test.Echo', 'Fail', text('box')))).toEqual([
      Code.NotFound,
      'no box',
    ]);
    expect(await codeOf(c.call('test.Echo', 'Crash', text('')))).toEqual([Code.NotFound, 'gone']);
  });

  it('times out a call on both sides and keeps the connection usable', async () => {
    let aborted: unknown;
    server.register('test.Slow', {
      Wait: (_req, ctx: CallContext) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject((aborted = ctx.signal.reason))),
        ),
    });
    const c = await connect();
    const started = Date.now();
    expect((await codeOf(c.call('test.Slow', 'Wait', text(''), { timeoutMs: 100 })))[0]).toBe(
      Code.DeadlineExceeded,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(() => (aborted as TtrpcError | undefined)?.code).toBe(Code.DeadlineExceeded);
    expect(str(await c.call('test.Echo', 'Echo', text('still here')))).toBe('still here');
  });

  it('cancels a call through an AbortSignal', async () => {
    const c = await connect();
    const abort = new AbortController();
    const call = c.call('test.Echo', 'Delay', text('5000'), { signal: abort.signal });
    abort.abort();
    expect((await codeOf(call))[0]).toBe(Code.Canceled);
    expect((await codeOf(c.call('test.Echo', 'Echo', text(''), { signal: abort.signal })))[0]).toBe(
      Code.Canceled,
    );
  });

  it('refuses to send an oversized request', async () => {
    const c = await connect();
    const [code] = await codeOf(c.call('test.Echo', 'Echo', Buffer.alloc(MAX_MESSAGE_LENGTH)));
    expect(code).toBe(Code.ResourceExhausted);
  });

  it('fails pending calls when the connection is lost, and aborts their handlers', async () => {
    let handlerSignal: AbortSignal | undefined;
    server.register('test.Hang', {
      Forever: (_req, ctx) => {
        handlerSignal = ctx.signal;
        return new Promise(() => {});
      },
    });
    const c = await connect();
    const outcome = codeOf(c.call('test.Hang', 'Forever', text('')));
    await expect.poll(() => handlerSignal).toBeDefined();
    await server.close();
    expect(await outcome).toEqual([Code.Unavailable, 'ttrpc: closed']);
    expect(handlerSignal?.aborted).toBe(true);
    expect((await codeOf(c.call('test.Echo', 'Echo', text(''))))[0]).toBe(Code.Unavailable);
  });

  it('shuts down gracefully: in-flight calls finish, new connections are refused', async () => {
    let release: (() => void) | undefined;
    server.register('test.Gate', {
      Hold: (req) => new Promise((resolve) => (release = () => resolve(req))),
    });
    const c = await connect();
    const inflight = c.call('test.Gate', 'Hold', text('held'));
    await expect.poll(() => release).toBeDefined();
    const stopped = server.shutdown();
    await expect(TtrpcClient.connect(socket)).rejects.toThrow(/ENOENT|ECONNREFUSED/);
    release!();
    expect(str(await inflight)).toBe('held');
    await stopped;
    await c.closed;
  });
});

describe('server protocol errors (raw frames)', () => {
  async function exchange(...frames: Buffer[]) {
    const raw = net.createConnection(socket);
    await once(raw, 'connect');
    const reader = new FrameReader();
    const answers: { streamId: number; code?: number; message?: string }[] = [];
    raw.on('data', (chunk: Buffer) => {
      for (const f of reader.push(chunk)) {
        const { status } = decodeResponse(f.payload ?? new Uint8Array());
        answers.push({ streamId: f.streamId, code: status?.code, message: status?.message });
      }
    });
    for (const frame of frames) raw.write(frame);
    await expect.poll(() => answers.length).toBe(frames.length);
    raw.destroy();
    return answers;
  }
  const request = (streamId: number, method = 'Echo') =>
    encodeFrame(
      streamId,
      MessageType.Request,
      encodeRequest({
        service: 'test.Echo',
        method,
        payload: text('x'),
        timeoutNano: 0,
        metadata: [],
      }),
    );
  const oversizedHeader = (streamId: number) => {
    const h = encodeFrame(streamId, MessageType.Request, new Uint8Array());
    h.writeUInt32BE(MAX_MESSAGE_LENGTH + 1, 0);
    return Buffer.concat([h, Buffer.alloc(MAX_MESSAGE_LENGTH + 1)]);
  };

  it('answers bad frames with upstream statuses and keeps serving', async () => {
    const answers = await exchange(
      request(2),
      oversizedHeader(3),
      request(5),
      request(5),
      encodeFrame(7, MessageType.Request, Buffer.from('0f', 'hex')),
      encodeFrame(9, MessageType.Data, text('x')),
      request(11),
    );
    const byId = (id: number) => answers.filter((a) => a.streamId === id);
    expect(byId(2)).toEqual([
      {
        streamId: 2,
        code: Code.InvalidArgument,
        message: 'StreamID must be odd for client initiated streams',
      },
    ]);
    expect(byId(3)).toEqual([
      {
        streamId: 3,
        code: Code.ResourceExhausted,
        message: `message length ${MAX_MESSAGE_LENGTH + 1} exceed maximum message size of ${MAX_MESSAGE_LENGTH}`,
      },
    ]);
    expect(
      byId(5)
        .map((a) => a.code)
        .sort(),
    ).toEqual([Code.OK, Code.InvalidArgument]);
    expect(byId(5).find((a) => a.code)?.message).toBe(
      'StreamID cannot be re-used and must increment',
    );
    expect(byId(7)[0]?.code).toBe(Code.InvalidArgument);
    expect(byId(7)[0]?.message).toMatch(/^unmarshal request error/);
    expect(byId(9)).toEqual([
      { streamId: 9, code: Code.InvalidArgument, message: 'StreamID is no longer active' },
    ]);
    expect(byId(11)).toEqual([{ streamId: 11, code: Code.OK, message: '' }]);
  });
});
