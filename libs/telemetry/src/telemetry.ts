import type { Logger } from 'pino';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resolveConfig, type TelemetryOptions } from './config';
import { createLogger } from './logger';
import { fanOut, resourceAttributes, sinksFor, type Warn } from './sinks';
import { SyncContextManager } from './sync-context';
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
 * Registers berth's tracer provider, the W3C trace-context propagator and a context manager
 * (AsyncLocalStorage, or synchronous-only: `contextPropagation`) as the OpenTelemetry globals. Spans go to the embedded store and, when
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
  context.setGlobalContextManager(
    opts.contextPropagation === 'sync'
      ? new SyncContextManager()
      : new AsyncLocalStorageContextManager().enable(),
  );
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
