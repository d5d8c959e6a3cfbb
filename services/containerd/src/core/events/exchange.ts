import { EventEmitter } from 'node:events';
import { invalidArgument } from '../errdefs';
import { parseFilters, type Filter } from '../filters';
import { validateIdentifier } from '../metadata/context';

export interface Envelope {
  timestamp: number;
  namespace: string;
  topic: string;
  event: { typeUrl: string; value: Uint8Array };
}

/** Upstream's topic rule: absolute, no trailing slash, components are identifiers. */
export function validateTopic(topic: string): void {
  if (topic === '') throw invalidArgument('must not be empty');
  if (!topic.startsWith('/')) throw invalidArgument('must start with a slash');
  if (topic.length > 1 && topic.endsWith('/')) throw invalidArgument('must not end with a slash');
  if (topic === '/') throw invalidArgument('must not be root');
  for (const c of topic.slice(1).split('/')) {
    try {
      validateIdentifier(c);
    } catch (err) {
      throw invalidArgument(
        `failed validation on component ${JSON.stringify(c)}: ${(err as Error).message}`,
      );
    }
  }
}

/** Field lookups for event filters: topic, namespace and event.<field> of the envelope. */
function adaptor(e: Envelope, decoded: () => Record<string, unknown> | undefined) {
  return ([f, ...rest]: string[]): string | undefined => {
    if (f === 'topic') return e.topic;
    if (f === 'namespace') return e.namespace;
    if (f !== 'event' || rest.length === 0) return undefined;
    let v: unknown = decoded();
    for (const k of rest)
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return v === undefined || v === null || typeof v === 'object' ? undefined : String(v);
  };
}

/**
 * The in-process event exchange (upstream's events/exchange): Publish and Forward fan
 * envelopes out to every subscriber whose filters match.
 */
export class Exchange {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  constructor(private readonly decode: (e: Envelope) => Record<string, unknown> | undefined) {}

  forward(e: Envelope): void {
    validateTopic(e.topic);
    validateIdentifier(e.namespace);
    this.emitter.emit('event', e);
  }

  publish(namespace: string, topic: string, event: Envelope['event']): void {
    this.forward({ timestamp: Date.now(), namespace, topic, event });
  }

  /** Calls `onEvent` for each matching envelope until the returned function is called. */
  subscribe(filters: readonly string[], onEvent: (e: Envelope) => void): () => void {
    const filter: Filter = parseFilters(filters);
    const listener = (e: Envelope) => {
      let cached: Record<string, unknown> | undefined | null = null;
      const decoded = () => (cached === null ? (cached = this.decode(e)) : cached);
      if (filter(adaptor(e, decoded))) onEvent(e);
    };
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
