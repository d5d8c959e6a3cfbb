import {
  context,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { nsToHrTime } from './clock';

/**
 * Runs `fn` in a new active span named `name`, ends the span when `fn` returns or its promise
 * settles, and records a thrown error as an exception event with status ERROR before
 * rethrowing it. The span is a child of `parent` (default: the active context); `fn` gets the
 * span and its Context, for services that hand contexts down explicitly.
 */
export function withSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  fn: (span: Span, spanContext: Context) => T,
  parent?: Context,
): T {
  return withSpanOptions(tracer, name, { attributes }, fn, parent);
}

/** withSpan with every span option (links, kind, start time). */
export function withSpanOptions<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  fn: (span: Span, spanContext: Context) => T,
  parent: Context = context.active(),
): T {
  return tracer.startActiveSpan(name, options, parent, (span) => {
    const fail = (err: unknown): never => {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: err instanceof Error ? err.message : String(err),
      });
      span.end();
      throw err;
    };
    let result: T;
    try {
      result = fn(span, trace.setSpan(parent, span));
    } catch (err) {
      return fail(err);
    }
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        span.end();
        return value;
      }, fail) as T;
    }
    span.end();
    return result;
  });
}

export interface ExternalSpan {
  name: string;
  /** Start, in nanoseconds since the Unix epoch (CLOCK_REALTIME). */
  startNs: bigint;
  endNs: bigint;
  attributes?: Attributes;
}

const externalTracer = () => trace.getTracer('@berth/telemetry');

/**
 * Records spans whose timestamps were measured elsewhere (e.g. by the native launcher between
 * fork and execve) as children of the span active in `parentCtx`. All are validated before any
 * is recorded, so bad input records nothing.
 */
export function recordExternalSpans(parentCtx: Context, spans: readonly ExternalSpan[]): void {
  for (const s of spans) {
    if (s.endNs < s.startNs || s.startNs < 0n) {
      throw new RangeError(`external span "${s.name}": invalid interval ${s.startNs}..${s.endNs}`);
    }
  }
  const tracer = externalTracer();
  for (const s of spans) {
    const span = tracer.startSpan(
      s.name,
      { startTime: nsToHrTime(s.startNs), ...(s.attributes ? { attributes: s.attributes } : {}) },
      parentCtx,
    );
    span.end(nsToHrTime(s.endNs));
  }
}
