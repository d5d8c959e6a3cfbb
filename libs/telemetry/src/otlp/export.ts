// Loaded lazily by OtlpForwarder: everything imported here stays in its own bundle chunk.
import { TraceFlags, type SpanContext, type SpanKind } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { nsToHrTime } from '../clock';
import type { OtlpProtocol } from '../config';
import type { Attributes, StoredSpan } from '../record';

export interface OtlpExport {
  export(spans: StoredSpan[]): Promise<void>;
  shutdown(): Promise<void>;
}

/** The standard OTLP exporter for `protocol`; it reads endpoint, headers and timeout from OTEL_*. */
async function loadExporter(protocol: OtlpProtocol): Promise<SpanExporter> {
  switch (protocol) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
  }
}

export async function createOtlpExport(
  protocol: OtlpProtocol,
  resourceAttributes: Attributes,
): Promise<OtlpExport> {
  const exporter = await loadExporter(protocol);
  const resource = resourceFromAttributes(resourceAttributes);
  return {
    export: (spans) =>
      new Promise((resolve, reject) => {
        exporter.export(
          spans.map((s) => toReadableSpan(s, resource)),
          (result) =>
            result.code === ExportResultCode.SUCCESS
              ? resolve()
              : reject(result.error ?? new Error(`OTLP export of ${spans.length} spans failed`)),
        );
      }),
    shutdown: () => exporter.shutdown(),
  };
}

function sampledContext(traceId: string, spanId: string): SpanContext {
  return { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
}

/** Rebuilds the SDK's view of a finished span from the stored record. */
export function toReadableSpan(span: StoredSpan, resource: Resource): ReadableSpan {
  const startNs = BigInt(span.startTimeUnixNano);
  const endNs = BigInt(span.endTimeUnixNano);
  return {
    name: span.name,
    kind: (span.kind - 1) as SpanKind,
    spanContext: () => sampledContext(span.traceId, span.spanId),
    parentSpanContext: span.parentSpanId
      ? sampledContext(span.traceId, span.parentSpanId)
      : undefined,
    startTime: nsToHrTime(startNs),
    endTime: nsToHrTime(endNs),
    duration: nsToHrTime(endNs - startNs),
    status: span.status,
    attributes: span.attributes,
    links: span.links.map((l) => ({
      context: sampledContext(l.traceId, l.spanId),
      attributes: l.attributes,
    })),
    events: span.events.map((e) => ({
      name: e.name,
      time: nsToHrTime(BigInt(e.timeUnixNano)),
      attributes: e.attributes,
    })),
    ended: true,
    resource,
    instrumentationScope: span.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
