import { SpanKind, SpanStatusCode, TraceFlags, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { FinishedSpan, SpanSink } from '../src/record';
import { LiteTracerProvider } from '../src/tracer';

/** A tracer whose finished spans land in an array. */
function capture() {
  const ended: FinishedSpan[] = [];
  const sink: SpanSink = {
    onEnd: (span) => void ended.push(span),
    flush: async () => {},
    shutdown: async () => {},
  };
  const resource = { 'service.name': 'berth-unit', 'process.pid': 42 };
  return { ended, tracer: new LiteTracerProvider(resource, sink).getTracer('unit', '1.0') };
}

describe('RecordingSpan.storedJson', () => {
  it('is exactly the JSON of the stored record, whatever the span holds', () => {
    const { ended, tracer } = capture();
    tracer.startSpan('plain').end();
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    const full = tracer.startSpan(
      'name with "quotes" \\ and \n newline',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'container.id': 'c1', n: 3, ok: true, list: ['a', 'b'], gone: undefined },
        links: [{ context: trace.getSpanContext(remote)!, attributes: { why: 'retry' } }],
      },
      remote,
    );
    full.addEvent('created', { step: 1 });
    full.setStatus({ code: SpanStatusCode.ERROR, message: 'failed: "x"' });
    full.end();
    expect(ended).toHaveLength(2);
    for (const span of ended) {
      expect(span.storedJson()).toBe(JSON.stringify(span.stored()));
      expect(JSON.parse(span.storedJson())).toEqual(span.stored());
    }
    expect(ended[1]!.stored()).toMatchObject({
      parentSpanId: 'b7ad6b7169203331',
      status: { code: 2, message: 'failed: "x"' },
      scope: { name: 'unit', version: '1.0' },
      resource: { 'service.name': 'berth-unit', 'process.pid': 42 },
    });
  });
});
