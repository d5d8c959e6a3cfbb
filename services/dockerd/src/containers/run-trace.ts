// One trace per container run. `docker run` is several Engine API requests (create, attach,
// wait, start) followed by work no request waits on (the exit, auto-remove), so no request
// span can be the root. Create opens a `dockerd.container.run` span instead; start, the
// exit and its removal are its children, and it ends once that first run is over. A later
// `docker start` of the same container begins its own trace, linked to the run it follows.
import {
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { withSpan, withSpanOptions } from '@berth/telemetry';
import { DOCKER_NAMESPACE } from '../containerd/connection';
import type { ContainerRecord } from './record';

const tracer = trace.getTracer('berth-dockerd');

/** Attribute names shared by every container span (OpenTelemetry semantic conventions). */
export const ATTR = {
  id: 'container.id',
  image: 'container.image.name',
  runtime: 'container.runtime.name',
  namespace: 'containerd.namespace',
} as const;

export class ContainerRun {
  private ended = false;

  private constructor(
    private readonly span: Span,
    readonly context: Context,
  ) {}

  /**
   * Opens the run as a child of `parent` (a client's traceparent) or as a new trace, linked to
   * the container's previous run when there was one.
   */
  static open(parent: Context, attributes: Attributes, previous?: string): ContainerRun {
    const linked = previous ? spanContextOf(previous) : undefined;
    const links = linked ? [{ context: linked }] : [];
    const span = tracer.startSpan('dockerd.container.run', { attributes, links }, parent);
    return new ContainerRun(span, trace.setSpan(parent, span));
  }

  get open(): boolean {
    return !this.ended;
  }

  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  /** The W3C traceparent of the run, kept in the container's record across restarts. */
  traceparent(): string | undefined {
    const carrier: Record<string, string> = {};
    propagation.inject(this.context, carrier);
    return carrier.traceparent;
  }

  end(err?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (err !== undefined) {
      this.span.recordException(err instanceof Error ? err : String(err));
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
    }
    this.span.end();
  }
}

/**
 * Runs `fn` in a span about one container: a child of its run while the run is open (nested in
 * `parent` when that is a span of the run: remove inside the exit); otherwise the root of a new
 * trace, linked to the container's last run (its stored traceparent). `fn` gets the span's
 * Context to hand down: dockerd does not follow contexts through async code (berth-dockerd.ts).
 */
export function withContainerSpan<T>(
  name: string,
  target: { run?: ContainerRun; record: ContainerRecord },
  fn: (span: Span, spanContext: Context) => T,
  parent?: Context,
): T {
  const attributes = containerAttributes(target.record);
  const { run } = target;
  if (run?.open) {
    const inRun =
      parent !== undefined &&
      trace.getSpanContext(parent)?.traceId === trace.getSpanContext(run.context)?.traceId;
    return withSpan(tracer, name, attributes, fn, inRun ? parent : run.context);
  }
  const linked = target.record.TraceParent ? spanContextOf(target.record.TraceParent) : undefined;
  const links = linked ? [{ context: linked }] : [];
  return withSpanOptions(tracer, name, { attributes, links }, fn, ROOT_CONTEXT);
}

/** The attributes of every span about `record`'s container. */
export function containerAttributes(record: ContainerRecord): Attributes {
  return {
    [ATTR.id]: record.Id,
    [ATTR.image]: record.Config.Image ?? '',
    [ATTR.runtime]: String(record.HostConfig.Runtime ?? ''),
    [ATTR.namespace]: DOCKER_NAMESPACE,
  };
}

function spanContextOf(traceparent: string) {
  return trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
}
