import {
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  ROOT_CONTEXT,
  context,
  trace,
} from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordExternalSpans, withSpan } from '../src/index';
import { startTestTelemetry, type TestTelemetry } from './helpers/telemetry';

describe('tracer', () => {
  let telemetry: TestTelemetry;
  const tracer = trace.getTracer('berth-test', '1.2.3');
  beforeAll(async () => (telemetry = await startTestTelemetry('unit')));
  afterAll(() => telemetry.stop());

  const stored = async (name: string) => (await telemetry.spans()).find((s) => s.name === name)!;

  it('records nested active spans with parent links, attributes, events and resource', async () => {
    await tracer.startActiveSpan('unit.parent', { kind: SpanKind.SERVER }, async (parent) => {
      await tracer.startActiveSpan(
        'unit.child',
        { attributes: { 'container.id': 'c1' } },
        (child) => {
          child.addEvent('created', { step: 1 });
          child.setAttribute('image', 'busybox');
          child.end();
        },
      );
      parent.end();
    });
    const parent = await stored('unit.parent');
    const child = await stored('unit.child');
    expect(child).toMatchObject({
      traceId: parent.traceId,
      parentSpanId: parent.spanId,
      kind: 1,
      attributes: { 'container.id': 'c1', image: 'busybox' },
      scope: { name: 'berth-test', version: '1.2.3' },
    });
    expect(child.events).toEqual([
      { name: 'created', timeUnixNano: expect.stringMatching(/^\d{19}$/), attributes: { step: 1 } },
    ]);
    expect(parent.parentSpanId).toBeUndefined();
    expect(parent.kind).toBe(2);
    expect(parent.resource).toMatchObject({
      'service.name': 'berth-unit',
      'process.pid': process.pid,
      'host.name': expect.any(String),
    });
    // Wall-clock nanoseconds, close to now.
    const ageMs = Date.now() - Number(BigInt(parent.startTimeUnixNano) / 1_000_000n);
    expect(ageMs).toBeGreaterThanOrEqual(0);
    expect(ageMs).toBeLessThan(10_000);
  });

  it('withSpan ends the span and records a thrown error, sync or async', async () => {
    expect(() =>
      withSpan(tracer, 'unit.sync-fail', {}, () => {
        throw new TypeError('bad');
      }),
    ).toThrow('bad');
    await expect(
      withSpan(tracer, 'unit.async-fail', { a: 1 }, async () => Promise.reject(new Error('nope'))),
    ).rejects.toThrow('nope');
    expect(await withSpan(tracer, 'unit.ok', {}, async () => 7)).toBe(7);

    const sync = await stored('unit.sync-fail');
    expect(sync.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad' });
    expect(sync.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad' },
    });
    expect((await stored('unit.async-fail')).status.code).toBe(SpanStatusCode.ERROR);
    expect((await stored('unit.ok')).status.code).toBe(SpanStatusCode.UNSET);
  });

  it('turns externally measured timestamps into child spans', async () => {
    const parent = tracer.startSpan('unit.launch');
    const ctx = trace.setSpan(ROOT_CONTEXT, parent);
    const t0 = 1_800_000_000_123_456_789n;
    recordExternalSpans(ctx, [
      { name: 'launcher.mounts', startNs: t0, endNs: t0 + 1500n, attributes: { count: 3 } },
      { name: 'launcher.execve', startNs: t0 + 1500n, endNs: t0 + 1501n },
    ]);
    parent.end();
    const mounts = await stored('launcher.mounts');
    expect(mounts).toMatchObject({
      traceId: parent.spanContext().traceId,
      parentSpanId: parent.spanContext().spanId,
      startTimeUnixNano: '1800000000123456789',
      endTimeUnixNano: '1800000000123458289',
      attributes: { count: 3 },
    });
    expect((await stored('launcher.execve')).startTimeUnixNano).toBe('1800000000123458289');
  });

  it('records no external span when one of them is invalid', async () => {
    const ctx = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('unit.bad-launch'));
    expect(() =>
      recordExternalSpans(ctx, [
        { name: 'launcher.ok', startNs: 10n, endNs: 20n },
        { name: 'launcher.backwards', startNs: 20n, endNs: 10n },
      ]),
    ).toThrow(RangeError);
    expect(await stored('launcher.ok')).toBeUndefined();
  });

  it('does not record the children of an unsampled remote parent but still propagates', async () => {
    const parentCtx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '1'.repeat(32),
      spanId: '2'.repeat(16),
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    const span = tracer.startSpan('unit.unsampled', {}, parentCtx);
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({ traceId: '1'.repeat(32), traceFlags: 0 });
    span.end();
    expect(await stored('unit.unsampled')).toBeUndefined();
  });

  it('ignores changes after end and keeps an OK status final', async () => {
    const span = tracer.startSpan('unit.final');
    span.setStatus({ code: SpanStatusCode.OK });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'late' });
    span.end();
    span.setAttribute('after', true);
    span.end();
    const spans = (await telemetry.spans()).filter((s) => s.name === 'unit.final');
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ status: { code: SpanStatusCode.OK }, attributes: {} });
  });

  it('refuses to start twice in one process', async () => {
    const { startTelemetry } = await import('../src/index');
    await expect(startTelemetry({ service: 'again' })).rejects.toThrow(/already started/);
  });

  it('keeps the active context across awaits', async () => {
    const span = tracer.startSpan('unit.async-parent');
    const seen = await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await new Promise((r) => setTimeout(r, 5));
      return trace.getActiveSpan()?.spanContext().spanId;
    });
    span.end();
    expect(seen).toBe(span.spanContext().spanId);
  });
});
