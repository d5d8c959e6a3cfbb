import { Metadata } from '@grpc/grpc-js';
import { ROOT_CONTEXT, TraceFlags, context, createTraceState, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contextFromEnv,
  contextFromGrpcMetadata,
  contextFromHeaders,
  envWithTraceContext,
  injectGrpcMetadata,
  injectHeaders,
} from '../src/index';
import { startTestTelemetry, type TestTelemetry } from './helpers/telemetry';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const remote = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  traceFlags: TraceFlags.SAMPLED,
  traceState: createTraceState('vendor=a,other=b'),
});

describe('W3C trace-context propagation', () => {
  let telemetry: TestTelemetry;
  beforeAll(async () => (telemetry = await startTestTelemetry()));
  afterAll(() => telemetry.stop());

  it('round-trips through HTTP headers', () => {
    const headers = injectHeaders({} as Record<string, string>, remote);
    expect(headers).toEqual({
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      tracestate: 'vendor=a,other=b',
    });
    const sc = trace.getSpanContext(contextFromHeaders(headers))!;
    expect(sc).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    expect(sc.traceState?.get('other')).toBe('b');
  });

  it('reads fetch Headers and mixed-case header objects', () => {
    const fetchHeaders = new Headers({ TraceParent: `00-${TRACE_ID}-${SPAN_ID}-00` });
    expect(trace.getSpanContext(contextFromHeaders(fetchHeaders))?.traceFlags).toBe(0);
    const sc = trace.getSpanContext(
      contextFromHeaders({ TraceParent: `00-${TRACE_ID}-${SPAN_ID}-01` }),
    );
    expect(sc?.spanId).toBe(SPAN_ID);
  });

  it('round-trips through gRPC metadata, string or binary-safe Buffer values', () => {
    const md = injectGrpcMetadata(new Metadata(), remote);
    expect(md.get('traceparent')).toEqual([`00-${TRACE_ID}-${SPAN_ID}-01`]);
    expect(trace.getSpanContext(contextFromGrpcMetadata(md))?.traceId).toBe(TRACE_ID);
    const raw = {
      get: (k: string) =>
        k === 'traceparent' ? [Buffer.from(`00-${TRACE_ID}-${SPAN_ID}-01`)] : [],
    };
    expect(trace.getSpanContext(contextFromGrpcMetadata(raw))?.spanId).toBe(SPAN_ID);
  });

  it('round-trips through TRACEPARENT/TRACESTATE and drops inherited stale values', () => {
    const env = envWithTraceContext(
      { PATH: '/bin', TRACEPARENT: 'stale', TRACESTATE: 'x=y' },
      remote,
    );
    expect(env).toEqual({
      PATH: '/bin',
      TRACEPARENT: `00-${TRACE_ID}-${SPAN_ID}-01`,
      TRACESTATE: 'vendor=a,other=b',
    });
    expect(trace.getSpanContext(contextFromEnv(env))?.spanId).toBe(SPAN_ID);
    expect(envWithTraceContext({ PATH: '/bin', TRACEPARENT: 'stale' }, ROOT_CONTEXT)).toEqual({
      PATH: '/bin',
    });
  });

  it('propagates the active span by default', () => {
    const span = trace.getTracer('t').startSpan('t.op');
    const headers = context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
      injectHeaders({} as Record<string, string>),
    );
    span.end();
    expect(headers.traceparent).toBe(
      `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`,
    );
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with extra fields', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
  ])('ignores an invalid traceparent (%s)', (_label, value) => {
    expect(
      trace.getSpanContext(contextFromHeaders({ traceparent: value }, ROOT_CONTEXT)),
    ).toBeUndefined();
  });

  it('accepts a future version with extra fields', () => {
    const sc = trace.getSpanContext(
      contextFromHeaders({ traceparent: `01-${TRACE_ID}-${SPAN_ID}-01-abc` }),
    );
    expect(sc?.traceId).toBe(TRACE_ID);
  });

  it('continues the incoming trace in spans started from the extracted context', async () => {
    const ctx = contextFromEnv({ TRACEPARENT: `00-${TRACE_ID}-${SPAN_ID}-01` });
    trace.getTracer('t').startSpan('t.child', {}, ctx).end();
    const [stored] = (await telemetry.spans()).filter((s) => s.name === 't.child');
    expect(stored).toMatchObject({ traceId: TRACE_ID, parentSpanId: SPAN_ID });
  });
});
