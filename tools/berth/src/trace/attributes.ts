import type { StoredSpan } from '@berth/telemetry';

/**
 * Attribute keys a trace is described and filtered by. The first key of each list is the
 * OpenTelemetry semantic convention; the others are spellings services used before it
 * (`container.image` in dockerd, the pre-1.27 `container.runtime`).
 */
export const ATTRIBUTE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  id: ['container.id'],
  container: ['container.id'],
  image: ['container.image.name', 'container.image'],
  runtime: ['container.runtime.name', 'container.runtime'],
  namespace: ['containerd.namespace', 'namespace'],
};

/** The resource attribute every berth process sets, `berth-<service>`. */
export function serviceOf(span: StoredSpan): string {
  const name = span.resource['service.name'];
  return typeof name === 'string' ? name.replace(/^berth-/, '') : 'unknown';
}

/**
 * The first non-empty value of `key` (an alias or a literal attribute key) over `spans`, in
 * the given order; `service` matches the recording process.
 */
export function findAttribute(spans: readonly StoredSpan[], key: string): string | undefined {
  if (key === 'service') return spans.length > 0 ? serviceOf(spans[0]!) : undefined;
  const keys = ATTRIBUTE_ALIASES[key] ?? [key];
  for (const span of spans) {
    for (const k of keys) {
      const value = span.attributes[k];
      if (value !== undefined && value !== '') return String(value);
    }
  }
  return undefined;
}

/**
 * True when some span carries `key` = `value`; `service` matches the recording process and
 * `name` the span name.
 */
export function anySpanHas(spans: readonly StoredSpan[], key: string, value: string): boolean {
  if (key === 'service') return spans.some((s) => serviceOf(s) === value.replace(/^berth-/, ''));
  if (key === 'name') return spans.some((s) => s.name === value);
  const keys = ATTRIBUTE_ALIASES[key] ?? [key];
  return spans.some((s) =>
    keys.some((k) => s.attributes[k] !== undefined && String(s.attributes[k]) === value),
  );
}
