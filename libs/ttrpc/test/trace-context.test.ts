import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TtrpcClient, TtrpcServer, metadataValue, withTraceContext } from '../src/index';

const parent = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
};

describe('trace context through metadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-ttrpc-trace-'));
  const server = new TtrpcServer();
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    // What @berth/telemetry's startTelemetry registers in a service.
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  afterAll(async () => {
    await server.close();
    context.disable();
    propagation.disable();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the active span as traceparent', () => {
    const ctx = trace.setSpanContext(context.active(), parent);
    const md = withTraceContext({ 'x-other': ['1'] }, ctx);
    expect(metadataValue(md, 'traceparent')).toBe(`00-${parent.traceId}-${parent.spanId}-01`);
    expect(md['x-other']).toEqual(['1']);
  });

  it("runs the handler inside the caller's trace context", async () => {
    server.register('test.Trace', {
      Seen: async (_req, ctx) => {
        const span = trace.getSpanContext(context.active());
        return Buffer.from(
          JSON.stringify({ span, traceparent: metadataValue(ctx.metadata, 'traceparent') }),
        );
      },
    });
    const socket = join(dir, 'trace.sock');
    await server.listen(socket);
    const client = await TtrpcClient.connect(socket);
    const answer = await context.with(trace.setSpanContext(context.active(), parent), () =>
      client.call('test.Trace', 'Seen', new Uint8Array()),
    );
    await client.close();
    const seen = JSON.parse(Buffer.from(answer).toString()) as {
      span: { traceId: string; spanId: string; isRemote: boolean };
      traceparent: string;
    };
    expect(seen.traceparent).toBe(`00-${parent.traceId}-${parent.spanId}-01`);
    expect(seen.span).toMatchObject({
      traceId: parent.traceId,
      spanId: parent.spanId,
      isRemote: true,
    });
  });
});
