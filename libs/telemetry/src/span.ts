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
import type {
  Attributes,
  FinishedSpan,
  OtlpSpanKind,
  SpanSink,
  StoredEvent,
  StoredSpan,
} from './record';

const UNSET: SpanStatus = { code: SpanStatusCode.UNSET };

export interface SpanInit {
  name: string;
  kind: SpanKind;
  spanContext: SpanContext;
  parentSpanId: string | undefined;
  startNs: bigint;
  attributes: SpanAttributes | undefined;
  links: Link[] | undefined;
  origin: SpanOrigin;
  sink: SpanSink;
}

/** What every span of a tracer shares: its scope, the process's resource, and their JSON. */
export interface SpanOrigin {
  scope: StoredSpan['scope'];
  resource: Attributes;
  /** `"scope":…,"resource":…`, the end of every stored line, serialized once. */
  json: string;
}

export function spanOrigin(scope: StoredSpan['scope'], resource: Attributes): SpanOrigin {
  return {
    scope,
    resource,
    json: `"scope":${JSON.stringify(scope)},"resource":${JSON.stringify(resource)}`,
  };
}

/**
 * A recording span that keeps only what the store needs. It implements the OpenTelemetry API
 * Span, so code written against @opentelemetry/api never sees the difference from the SDK's
 * span. Starting and ending one only copies fields: the StoredSpan is built at flush time.
 */
export class RecordingSpan implements Span, FinishedSpan {
  private name: string;
  private readonly attributes: Attributes = {};
  private events: StoredEvent[] | undefined;
  private links: Link[] | undefined;
  private status: SpanStatus = UNSET;
  private endNs: bigint | undefined;

  constructor(private readonly init: SpanInit) {
    this.name = init.name;
    if (init.links?.length) this.links = [...init.links];
    if (init.attributes) copyDefined(init.attributes, this.attributes);
  }

  spanContext(): SpanContext {
    return this.init.spanContext;
  }

  setAttribute(key: string, value: SpanAttributeValue): this {
    if (this.endNs === undefined && value !== undefined && value !== null) {
      this.attributes[key] = value;
    }
    return this;
  }

  setAttributes(attributes: SpanAttributes): this {
    if (this.endNs === undefined) copyDefined(attributes, this.attributes);
    return this;
  }

  addEvent(
    name: string,
    attributesOrStartTime?: SpanAttributes | TimeInput,
    startTime?: TimeInput,
  ): this {
    if (this.endNs !== undefined) return this;
    const attributesGiven = isAttributes(attributesOrStartTime);
    const time = attributesGiven ? startTime : attributesOrStartTime;
    (this.events ??= []).push({
      name,
      timeUnixNano: String(time === undefined ? nowNs() : timeInputToNs(time)),
      attributes: attributesGiven ? copyDefined(attributesOrStartTime, {}) : {},
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.endNs === undefined) (this.links ??= []).push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    // Per the API spec, OK is final and UNSET never overrides a status already set.
    if (this.endNs !== undefined || this.status.code === SpanStatusCode.OK) return this;
    if (status.code !== SpanStatusCode.UNSET) this.status = status;
    return this;
  }

  updateName(name: string): this {
    if (this.endNs === undefined) this.name = name;
    return this;
  }

  isRecording(): boolean {
    return this.endNs === undefined;
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
    if (this.endNs !== undefined) return;
    const { startNs } = this.init;
    const endNs = endTime === undefined ? nowNs() : timeInputToNs(endTime);
    this.endNs = endNs < startNs ? startNs : endNs;
    this.init.sink.onEnd(this);
  }

  stored(): StoredSpan {
    const { init } = this;
    return {
      traceId: init.spanContext.traceId,
      spanId: init.spanContext.spanId,
      ...(init.parentSpanId ? { parentSpanId: init.parentSpanId } : {}),
      name: this.name,
      kind: (init.kind + 1) as OtlpSpanKind,
      startTimeUnixNano: String(init.startNs),
      endTimeUnixNano: String(this.endNs ?? init.startNs),
      attributes: this.attributes,
      status: this.storedStatus(),
      events: this.events ?? [],
      links: this.storedLinks(),
      scope: init.origin.scope,
      resource: init.origin.resource,
    };
  }

  /**
   * The same line as JSON.stringify(stored()) at half the cost: no record object, and the
   * scope and resource pasted in. Ids are hex (ours, or a remote parent's after validation)
   * and times are decimal, so only the name and the maps need escaping.
   */
  storedJson(): string {
    const { init } = this;
    const { traceId, spanId } = init.spanContext;
    const parent = init.parentSpanId ? `"parentSpanId":"${init.parentSpanId}",` : '';
    return (
      `{"traceId":"${traceId}","spanId":"${spanId}",${parent}"name":${JSON.stringify(this.name)},` +
      `"kind":${init.kind + 1},"startTimeUnixNano":"${init.startNs}",` +
      `"endTimeUnixNano":"${this.endNs ?? init.startNs}",` +
      `"attributes":${JSON.stringify(this.attributes)},"status":${JSON.stringify(this.storedStatus())},` +
      `"events":${this.events ? JSON.stringify(this.events) : '[]'},` +
      `"links":${this.links ? JSON.stringify(this.storedLinks()) : '[]'},${init.origin.json}}`
    );
  }

  private storedStatus(): StoredSpan['status'] {
    const { code, message } = this.status;
    return message ? { code, message } : { code };
  }

  private storedLinks(): StoredSpan['links'] {
    return (this.links ?? []).map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: l.attributes ? copyDefined(l.attributes, {}) : {},
    }));
  }
}

function isAttributes(value: SpanAttributes | TimeInput | undefined): value is SpanAttributes {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/** Copies the attributes that have a value into `out`, and returns it. */
function copyDefined(attributes: SpanAttributes, out: Attributes): Attributes {
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}
