import {
  SpanStatusCode,
  type Exception,
  type Link,
  type Span,
  type SpanAttributes,
  type SpanAttributeValue,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import { nowNs, timeInputToNs } from './clock';
import type { Attributes, OtlpSpanKind, StoredEvent, StoredSpan } from './record';

export interface SpanInit {
  name: string;
  kind: SpanKind;
  spanContext: SpanContext;
  parentSpanId: string | undefined;
  startNs: bigint;
  attributes: SpanAttributes | undefined;
  links: Link[];
  scope: StoredSpan['scope'];
  resource: Attributes;
  onEnd: (span: StoredSpan) => void;
}

/**
 * A recording span that keeps only what the store needs and turns itself into a StoredSpan
 * when it ends. It implements the OpenTelemetry API Span, so code written against
 * @opentelemetry/api never sees the difference from the SDK's span.
 */
export class RecordingSpan implements Span {
  private name: string;
  private readonly attributes: Attributes = {};
  private readonly events: StoredEvent[] = [];
  private readonly links: Link[];
  private status: SpanStatus = { code: SpanStatusCode.UNSET };
  private ended = false;

  constructor(private readonly init: SpanInit) {
    this.name = init.name;
    this.links = [...init.links];
    if (init.attributes) this.setAttributes(init.attributes);
  }

  spanContext(): SpanContext {
    return this.init.spanContext;
  }

  setAttribute(key: string, value: SpanAttributeValue): this {
    if (!this.ended && value !== undefined && value !== null) this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: SpanAttributes): this {
    if (!this.ended) Object.assign(this.attributes, definedOnly(attributes));
    return this;
  }

  addEvent(
    name: string,
    attributesOrStartTime?: SpanAttributes | TimeInput,
    startTime?: TimeInput,
  ): this {
    if (this.ended) return this;
    const attributesGiven = isAttributes(attributesOrStartTime);
    const time = attributesGiven ? startTime : attributesOrStartTime;
    this.events.push({
      name,
      timeUnixNano: String(time === undefined ? nowNs() : timeInputToNs(time)),
      attributes: attributesGiven ? definedOnly(attributesOrStartTime) : {},
    });
    return this;
  }

  addLink(link: Link): this {
    if (!this.ended) this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    // Per the API spec, OK is final and UNSET never overrides a status already set.
    if (this.ended || this.status.code === SpanStatusCode.OK) return this;
    if (status.code !== SpanStatusCode.UNSET) this.status = status;
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else {
      const type = exception.name ?? (exception.code !== undefined ? String(exception.code) : '');
      if (type) attributes['exception.type'] = type;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    this.addEvent('exception', attributes, time);
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    const { init } = this;
    const endNs = endTime === undefined ? nowNs() : timeInputToNs(endTime);
    const record: StoredSpan = {
      traceId: init.spanContext.traceId,
      spanId: init.spanContext.spanId,
      ...(init.parentSpanId ? { parentSpanId: init.parentSpanId } : {}),
      name: this.name,
      kind: (init.kind + 1) as OtlpSpanKind,
      startTimeUnixNano: String(init.startNs),
      endTimeUnixNano: String(endNs < init.startNs ? init.startNs : endNs),
      attributes: this.attributes,
      status: this.status.message
        ? { code: this.status.code, message: this.status.message }
        : { code: this.status.code },
      events: this.events,
      links: this.links.map((l) => ({
        traceId: l.context.traceId,
        spanId: l.context.spanId,
        attributes: l.attributes ? definedOnly(l.attributes) : {},
      })),
      scope: init.scope,
      resource: init.resource,
    };
    init.onEnd(record);
  }
}

function isAttributes(value: SpanAttributes | TimeInput | undefined): value is SpanAttributes {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function definedOnly(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}
