import {
  context as contextApi,
  SpanKind,
  TraceFlags,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { nowNs, timeInputToNs } from './clock';
import { newSpanId, newTraceId } from './ids';
import type { Attributes, SpanSink } from './record';
import { RecordingSpan, spanOrigin, type SpanOrigin } from './span';

/**
 * The tracer provider registered by startTelemetry. It records spans without the OpenTelemetry
 * SDK, which costs ~19 ms to load even bundled (sdk-trace-base + resources + core, measured in
 * an esbuild bundle: 61 → 80 ms median process start), i.e. more than a whole runtime CLI call
 * is allowed to spend on tracing. Sampling is parent-based: a root span is always sampled and a
 * child follows its parent's sampled flag.
 */
export class LiteTracerProvider implements TracerProvider {
  private readonly tracers = new Map<string, Tracer>();

  constructor(
    private readonly resource: Attributes,
    private readonly sink: SpanSink,
  ) {}

  getTracer(name: string, version?: string): Tracer {
    const key = `${name}@${version ?? ''}`;
    let tracer = this.tracers.get(key);
    if (!tracer) {
      const scope = version ? { name, version } : { name };
      tracer = new LiteTracer(spanOrigin(scope, this.resource), this.sink);
      this.tracers.set(key, tracer);
    }
    return tracer;
  }
}

class LiteTracer implements Tracer {
  constructor(
    private readonly origin: SpanOrigin,
    private readonly sink: SpanSink,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = contextApi.active()): Span {
    const parentSpan = options.root ? undefined : trace.getSpan(ctx);
    const parent = parentSpan?.spanContext();
    // Our own spans have valid ids by construction; only a remote or foreign parent is checked.
    const validParent =
      parent && (parentSpan instanceof RecordingSpan || trace.isSpanContextValid(parent))
        ? parent
        : undefined;
    const sampled = validParent ? (validParent.traceFlags & TraceFlags.SAMPLED) !== 0 : true;
    const spanContext: SpanContext = {
      traceId: validParent?.traceId ?? newTraceId(),
      spanId: newSpanId(),
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    };
    if (validParent?.traceState) spanContext.traceState = validParent.traceState;
    // An unsampled span still carries ids, so its children and downstream services stay unsampled.
    if (!sampled) return trace.wrapSpanContext(spanContext);
    return new RecordingSpan({
      name,
      kind: options.kind ?? SpanKind.INTERNAL,
      spanContext,
      parentSpanId: validParent?.spanId,
      startNs: options.startTime === undefined ? nowNs() : timeInputToNs(options.startTime),
      attributes: options.attributes,
      links: options.links,
      origin: this.origin,
      sink: this.sink,
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...args: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = args[args.length - 1] as F;
    const options = args.length > 1 ? (args[0] as SpanOptions) : {};
    const parentCtx = args.length > 2 ? (args[1] as Context) : contextApi.active();
    const span = this.startSpan(name, options, parentCtx);
    return contextApi.with(trace.setSpan(parentCtx, span), () => fn(span)) as ReturnType<F>;
  }
}
