import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
} from '@opentelemetry/semantic-conventions';
import { ATTR_HOST_NAME, ATTR_PROCESS_PID } from '@opentelemetry/semantic-conventions/incubating';
import { resolveConfig, type TelemetryConfig, type TelemetryOptions } from './config';
import { createLogger } from './logger';
import { OtlpForwarder } from './otlp/forwarder';
import type { Attributes, SpanSink, StoredSpan } from './record';
import { TraceStoreWriter } from './store/writer';
import { LiteTracerProvider } from './tracer';
import { W3CTraceContextPropagator } from './w3c-propagator';

export interface TelemetryHandle {
  /** Writes every finished span to the store and exports it to the collector, if any. */
  flush(): Promise<void>;
  /** Flushes, then unregisters the global tracer provider, propagator and context manager. */
  shutdown(): Promise<void>;
}

const NOOP_HANDLE: TelemetryHandle = { flush: async () => {}, shutdown: async () => {} };
let started = false;

/**
 * Registers berth's tracer provider, the W3C trace-context propagator and an AsyncLocalStorage
 * context manager as the OpenTelemetry globals. Spans go to the embedded store and, when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, to a collector. With BERTH_TRACING=off nothing is
 * registered and the API's no-op tracer costs next to nothing.
 *
 * Start-up cost: everything here is cheap to load; the SDK exporter is imported only when a
 * collector is configured, after the first span ends (see tools/bench/telemetry-startup.mjs).
 */
export async function startTelemetry(opts: TelemetryOptions): Promise<TelemetryHandle> {
  const config = resolveConfig(opts);
  if (!config.enabled) return NOOP_HANDLE;
  if (started) throw new Error('startTelemetry: telemetry is already started in this process');

  // The logger is only built if something goes wrong: it is not free at start-up (~1 ms).
  let log: Logger | undefined;
  const warn: Warn = (obj, msg) =>
    (log ??= createLogger(opts.service).child({ component: 'telemetry' })).warn(obj, msg);
  const resource = resourceAttributes(config);
  const sink = fanOut(sinksFor(config, resource, warn));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new LiteTracerProvider(resource, sink));
  started = true;

  return {
    flush: () => sink.flush(),
    async shutdown() {
      await sink.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      started = false;
    },
  };
}

function resourceAttributes(config: TelemetryConfig): Attributes {
  return {
    [ATTR_SERVICE_NAME]: config.serviceName,
    ...(config.version ? { [ATTR_SERVICE_VERSION]: config.version } : {}),
    [ATTR_PROCESS_PID]: process.pid,
    [ATTR_HOST_NAME]: hostname(),
    [ATTR_TELEMETRY_SDK_NAME]: '@berth/telemetry',
    [ATTR_TELEMETRY_SDK_LANGUAGE]: 'nodejs',
  };
}

type Warn = (obj: object, msg: string) => void;

function sinksFor(config: TelemetryConfig, resource: Attributes, warn: Warn): SpanSink[] {
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

function fanOut(sinks: SpanSink[]): SpanSink {
  return {
    onEnd: (span: StoredSpan) => sinks.forEach((s) => s.onEnd(span)),
    flush: async () => void (await Promise.all(sinks.map((s) => s.flush()))),
    shutdown: async () => void (await Promise.all(sinks.map((s) => s.shutdown()))),
  };
}
