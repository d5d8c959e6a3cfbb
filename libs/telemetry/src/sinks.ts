import { hostname } from 'node:os';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
} from '@opentelemetry/semantic-conventions';
import { ATTR_HOST_NAME, ATTR_PROCESS_PID } from '@opentelemetry/semantic-conventions/incubating';
import type { TelemetryConfig } from './config';
import { OtlpForwarder } from './otlp/forwarder';
import type { Attributes, FinishedSpan, SpanSink } from './record';
import { TraceStoreWriter } from './store/writer';

export type Warn = (obj: object, msg: string) => void;

/** The resource every span of this process carries. */
export function resourceAttributes(config: TelemetryConfig): Attributes {
  return {
    [ATTR_SERVICE_NAME]: config.serviceName,
    ...(config.version ? { [ATTR_SERVICE_VERSION]: config.version } : {}),
    [ATTR_PROCESS_PID]: process.pid,
    [ATTR_HOST_NAME]: hostname(),
    [ATTR_TELEMETRY_SDK_NAME]: '@berth/telemetry',
    [ATTR_TELEMETRY_SDK_LANGUAGE]: 'nodejs',
  };
}

/** The embedded store, and the OTLP collector when one is configured. */
export function sinksFor(config: TelemetryConfig, resource: Attributes, warn: Warn): SpanSink[] {
  const sinks: SpanSink[] = [
    new TraceStoreWriter({
      dir: config.traceDir,
      maxBytes: config.maxBytes,
      onError: (err) => warn({ err, dir: config.traceDir }, 'trace store write failed'),
    }),
  ];
  if (config.otlpProtocol) {
    sinks.push(
      new OtlpForwarder(config.otlpProtocol, resource, (err) =>
        warn({ err, protocol: config.otlpProtocol }, 'OTLP trace export failed'),
      ),
    );
  }
  return sinks;
}

/** One sink standing for all of them (the store alone, in the common case, is itself). */
export function fanOut(sinks: SpanSink[]): SpanSink {
  if (sinks.length === 1) return sinks[0]!;
  return {
    onEnd: (span: FinishedSpan) => sinks.forEach((s) => s.onEnd(span)),
    flush: async () => void (await Promise.all(sinks.map((s) => s.flush()))),
    shutdown: async () => void (await Promise.all(sinks.map((s) => s.shutdown()))),
  };
}
