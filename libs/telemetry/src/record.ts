import type { AttributeValue } from '@opentelemetry/api';

export type Attributes = Record<string, AttributeValue>;

/** OTLP span kind numbering (SPAN_KIND_INTERNAL = 1 … SPAN_KIND_CONSUMER = 5). */
export type OtlpSpanKind = 1 | 2 | 3 | 4 | 5;

/** OTLP status code: 0 unset, 1 ok, 2 error. */
export interface StoredStatus {
  code: 0 | 1 | 2;
  message?: string;
}

export interface StoredEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
}

export interface StoredLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

/**
 * One finished span as kept in the embedded store: one JSON object per line, shaped like an
 * OTLP/JSON span (hex ids, nanosecond timestamps as decimal strings, OTLP kind and status
 * codes) with attributes as a plain map. `traceId` is always the first key; the reader relies
 * on that to resynchronise after a torn line.
 */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: OtlpSpanKind;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attributes;
  status: StoredStatus;
  events: StoredEvent[];
  links: StoredLink[];
  scope: { name: string; version?: string };
  /** Resource attributes of the process that recorded the span (service.name, process.pid …). */
  resource: Attributes;
}

/**
 * A finished span. Its StoredSpan is built when a sink asks for it, at flush time: a span
 * ends inside the call it measures, and building the record there cost that call ~10 µs a span.
 */
export interface FinishedSpan {
  stored(): StoredSpan;
  /** `JSON.stringify(stored())`, the store's line, which a span may build more cheaply. */
  storedJson(): string;
}

/** A FinishedSpan for a record that is already built. */
export function finished(record: StoredSpan): FinishedSpan {
  return { stored: () => record, storedJson: () => JSON.stringify(record) };
}

/** Receives every finished, sampled span. */
export interface SpanSink {
  onEnd(span: FinishedSpan): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}
