import { nowNs } from './clock';
import { resolveConfig } from './config';
import { newSpanId } from './ids';
import {
  finished,
  type Attributes,
  type FinishedSpan,
  type StoredEvent,
  type StoredSpan,
} from './record';
import { fanOut, resourceAttributes, sinksFor } from './sinks';
import type { ExternalSpan } from './spans';
import { parseTraceparent } from './traceparent';

export interface ProcessSpan {
  name: string;
  startNs: bigint;
  /** Default: now. */
  endNs?: bigint;
  attributes: Attributes;
  /** Timestamped marks inside the span (e.g. when the container process passed exec). */
  events?: { name: string; timeNs: bigint }[];
  /** What the command failed with: status ERROR and an exception event. */
  error?: unknown;
}

type Env = Record<string, string | undefined>;

/**
 * Records the one span of a short-lived process (berth-runc's command) and spans measured
 * inside it (the launcher's phases, as its children), as a child of the TRACEPARENT the
 * process was given, straight into the store (and the collector, when one is configured).
 * No tracer, propagator or context manager is registered and the OpenTelemetry API is not
 * loaded: the cost is building a few objects and one append. Records nothing without a valid,
 * sampled TRACEPARENT, or with BERTH_TRACING=off. Never throws: a command must not fail
 * because its trace could not be written.
 */
export async function recordProcessSpan(
  service: string,
  span: ProcessSpan,
  children: readonly ExternalSpan[] = [],
  env: Env = process.env,
): Promise<void> {
  const parent = parseTraceparent(env.TRACEPARENT);
  if (!parent || (parent.flags & 0x01) === 0) return;
  try {
    const config = resolveConfig({ service }, env);
    if (!config.enabled) return;
    const resource = resourceAttributes(config);
    const sink = fanOut(sinksFor(config, resource, () => {}));
    const scope = { name: config.serviceName };
    const spanId = newSpanId();
    const stored = (
      name: string,
      id: string,
      parentSpanId: string,
      startNs: bigint,
      endNs: bigint,
      attributes: Attributes,
      extra: Pick<StoredSpan, 'status' | 'events'>,
    ): FinishedSpan =>
      finished({
        traceId: parent.traceId,
        spanId: id,
        parentSpanId,
        name,
        kind: 1,
        startTimeUnixNano: String(startNs),
        endTimeUnixNano: String(endNs < startNs ? startNs : endNs),
        attributes,
        ...extra,
        links: [],
        scope,
        resource,
      });
    for (const child of children) {
      sink.onEnd(
        stored(
          child.name,
          newSpanId(),
          spanId,
          child.startNs,
          child.endNs,
          definedOnly(child.attributes ?? {}),
          {
            status: { code: 0 },
            events: [],
          },
        ),
      );
    }
    const events: StoredEvent[] = (span.events ?? []).map((e) => ({
      name: e.name,
      timeUnixNano: String(e.timeNs),
      attributes: {},
    }));
    const endNs = span.endNs ?? nowNs();
    let status: StoredSpan['status'] = { code: 0 };
    if (span.error !== undefined) {
      const message = span.error instanceof Error ? span.error.message : String(span.error);
      status = { code: 2, message };
      events.push({
        name: 'exception',
        timeUnixNano: String(endNs),
        attributes: { 'exception.message': message },
      });
    }
    sink.onEnd(
      stored(span.name, spanId, parent.spanId, span.startNs, endNs, span.attributes, {
        status,
        events,
      }),
    );
    await sink.shutdown();
  } catch {
    // the store is unwritable or the settings are bad: the command's result matters more
  }
}

function definedOnly(attributes: NonNullable<ExternalSpan['attributes']>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value != null) out[key] = value;
  return out;
}
