export const DEFAULT_TRACE_DIR = '/var/lib/berth/traces';
export const DEFAULT_TRACE_MAX_BYTES = 64 * 1024 * 1024;

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';
const OTLP_PROTOCOLS: readonly string[] = ['grpc', 'http/protobuf', 'http/json'];

export interface TelemetryOptions {
  /** Short service name (`dockerd`); the resource service.name becomes `berth-dockerd`. */
  service: string;
  version?: string;
  /** Directory of the embedded trace store; default BERTH_TRACE_DIR, else /var/lib/berth/traces. */
  stateDir?: string;
  /** Size cap of the trace store; default BERTH_TRACE_MAX_BYTES, else 64 MiB. */
  maxBytes?: number;
  /**
   * 'async' (default): the active context follows async continuations (AsyncLocalStorage).
   * 'sync': it holds only for synchronous code; the service hands Contexts down itself.
   */
  contextPropagation?: 'async' | 'sync';
}

export interface TelemetryConfig {
  enabled: boolean;
  serviceName: string;
  version: string | undefined;
  traceDir: string;
  maxBytes: number;
  /** Set when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT asks for export to a collector. */
  otlpProtocol: OtlpProtocol | undefined;
}

type Env = Record<string, string | undefined>;

export function traceDirFrom(env: Env = process.env): string {
  return env.BERTH_TRACE_DIR || DEFAULT_TRACE_DIR;
}

/** Resolves options against the environment; throws on values that cannot be honoured. */
export function resolveConfig(opts: TelemetryOptions, env: Env = process.env): TelemetryConfig {
  const tracing = (env.BERTH_TRACING ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(tracing)) {
    throw new Error(`BERTH_TRACING must be "on" or "off", not "${env.BERTH_TRACING}"`);
  }
  return {
    enabled: tracing === 'on',
    serviceName: opts.service.startsWith('berth-') ? opts.service : `berth-${opts.service}`,
    version: opts.version,
    traceDir: opts.stateDir ?? traceDirFrom(env),
    maxBytes: opts.maxBytes ?? maxBytesFrom(env),
    otlpProtocol: otlpProtocolFrom(env),
  };
}

function maxBytesFrom(env: Env): number {
  const raw = env.BERTH_TRACE_MAX_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_TRACE_MAX_BYTES;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 4096) {
    throw new Error(`BERTH_TRACE_MAX_BYTES must be an integer >= 4096, not "${raw}"`);
  }
  return value;
}

function otlpProtocolFrom(env: Env): OtlpProtocol | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  // The OTLP exporter spec makes http/protobuf the default.
  const protocol =
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf';
  if (!OTLP_PROTOCOLS.includes(protocol)) {
    throw new Error(
      `OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${OTLP_PROTOCOLS.join(', ')}, not "${protocol}"`,
    );
  }
  return protocol as OtlpProtocol;
}
