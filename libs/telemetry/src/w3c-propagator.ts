import {
  createTraceState,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { parseTraceparent } from './traceparent';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) propagator. @opentelemetry/core has
 * one, but its CommonJS build does not tree-shake: importing it costs ~13 ms in a bundled
 * executable (measured: 313 KB chunk, 66 → 79 ms median process start), against a few
 * microseconds for this parser.
 */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx);
    if (!sc || !isSpanContextValid(sc)) return;
    const flags = (sc.traceFlags & 0xff).toString(16).padStart(2, '0');
    setter.set(carrier, TRACEPARENT, `00-${sc.traceId}-${sc.spanId}-${flags}`);
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const parsed = parseTraceparent(firstValue(getter.get(carrier, TRACEPARENT)));
    if (!parsed) return ctx;
    const spanContext = {
      traceId: parsed.traceId,
      spanId: parsed.spanId,
      traceFlags: parsed.flags & 0x01,
      isRemote: true,
    };
    if (!isSpanContextValid(spanContext)) return ctx;
    const state = getter.get(carrier, TRACESTATE);
    const traceState = state
      ? createTraceState(Array.isArray(state) ? state.join(',') : state)
      : undefined;
    return trace.setSpanContext(ctx, traceState ? { ...spanContext, traceState } : spanContext);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
