import { context, propagation, type Context, type TextMapGetter } from '@opentelemetry/api';

type HeaderValue = string | string[] | number | undefined;
/** Node's IncomingHttpHeaders / OutgoingHttpHeaders, or a fetch Headers object. */
export type HeaderCarrier = Record<string, HeaderValue> | { get(name: string): string | null };

const headerGetter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => (isFetchHeaders(carrier) ? [] : Object.keys(carrier)),
  get(carrier, key) {
    if (isFetchHeaders(carrier)) return carrier.get(key) ?? undefined;
    // Node lower-cases incoming header names; a hand-built object may not.
    const name = key in carrier ? key : Object.keys(carrier).find((k) => k.toLowerCase() === key);
    const value = name === undefined ? undefined : carrier[name];
    return typeof value === 'number' ? String(value) : value;
  },
};

function isFetchHeaders(carrier: HeaderCarrier): carrier is { get(name: string): string | null } {
  return typeof carrier.get === 'function';
}

/** The context carried by an incoming request's `traceparent`/`tracestate` headers. */
export function contextFromHeaders(headers: HeaderCarrier, base = context.active()): Context {
  return propagation.extract(base, headers, headerGetter);
}

/** Adds `traceparent`/`tracestate` for `ctx` (default: the active context) to outgoing headers. */
export function injectHeaders<H extends Record<string, HeaderValue>>(
  headers: H,
  ctx: Context = context.active(),
): H {
  propagation.inject(ctx, headers);
  return headers;
}

/** The subset of @grpc/grpc-js Metadata (and of ttrpc metadata wrappers) used here. */
export interface MetadataReader {
  get(key: string): (string | Buffer)[];
}
export interface MetadataWriter {
  set(key: string, value: string): void;
}

const metadataGetter: TextMapGetter<MetadataReader> = {
  keys: () => [],
  get(md, key) {
    const [value] = md.get(key);
    return value === undefined ? undefined : value.toString();
  },
};

export function contextFromGrpcMetadata(md: MetadataReader, base = context.active()): Context {
  return propagation.extract(base, md, metadataGetter);
}

export function injectGrpcMetadata<M extends MetadataWriter>(
  md: M,
  ctx: Context = context.active(),
): M {
  propagation.inject(ctx, md, { set: (carrier, key, value) => carrier.set(key, value) });
  return md;
}

type Env = Record<string, string | undefined>;

// Environment variable names are the upper-cased W3C header names (TRACEPARENT, TRACESTATE),
// the convention the OpenTelemetry spec adopted for process-to-process propagation.
const envGetter: TextMapGetter<Env> = {
  keys: (env) => Object.keys(env),
  get: (env, key) => env[key.toUpperCase()],
};

/** The context handed down by a parent process in TRACEPARENT / TRACESTATE. */
export function contextFromEnv(env: Env = process.env, base = context.active()): Context {
  return propagation.extract(base, env, envGetter);
}

/**
 * A copy of `env` carrying `ctx` (default: the active context) in TRACEPARENT / TRACESTATE for a
 * child process. Inherited values are removed first, so a child is never attached to a stale
 * parent when there is no span to continue (or tracing is off).
 */
export function envWithTraceContext(
  env: Env = process.env,
  ctx: Context = context.active(),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key !== 'TRACEPARENT' && key !== 'TRACESTATE') out[key] = value;
  }
  propagation.inject(ctx, out, {
    set: (carrier, key, value) => (carrier[key.toUpperCase()] = value),
  });
  return out;
}
