// Which events a `docker events --filter` selects, as moby's daemon/events/filter.go
// decides: every key given must match; type, event and image match exactly, container,
// daemon, volume and network match the actor's ID or name by prefix, label by key[=value].
import { matchesLabels, parseFilters, type Filters } from '../api/filters';
import type { DockerEvent } from './bus';

export const EVENT_FILTERS = [
  'config',
  'container',
  'daemon',
  'event',
  'image',
  'label',
  'network',
  'node',
  'plugin',
  'scope',
  'secret',
  'service',
  'type',
  'volume',
] as const;

export function parseEventFilters(raw: unknown): Filters {
  return parseFilters(raw, EVENT_FILTERS);
}

/** True when the key is absent or one of its values equals `value`. */
function exact(filters: Filters, key: string, ...values: string[]): boolean {
  const wanted = filters.get(key);
  return !wanted?.length || values.some((v) => wanted.includes(v));
}

/** True when the key is absent or one of its values equals or prefixes `value`. */
function fuzzy(filters: Filters, key: string, ...values: string[]): boolean {
  const wanted = filters.get(key);
  return !wanted?.length || values.some((v) => wanted.some((w) => v.startsWith(w)));
}

/** Drops a trailing :tag, keeping a registry's :port. */
function stripTag(ref: string): string {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
}

// `--filter event=exec_start` selects "exec_start: sh -c …" too (moby #25798).
const PREFIXED_ACTIONS = ['exec_create', 'exec_start', 'health_status'];

function matchesAction(filters: Filters, action: string): boolean {
  const wanted = filters.get('event') ?? [];
  if (wanted.some((w) => PREFIXED_ACTIONS.includes(w))) return fuzzy(filters, 'event', action);
  return exact(filters, 'event', action);
}

function matchesImage(filters: Filters, event: DockerEvent): boolean {
  const id = event.Actor.ID;
  const name = event.Actor.Attributes[event.Type === 'image' ? 'name' : 'image'] ?? '';
  return exact(filters, 'image', id, name, stripTag(id), stripTag(name));
}

export function matchesEvent(filters: Filters, event: DockerEvent): boolean {
  const { ID, Attributes } = event.Actor;
  const name = Attributes.name ?? '';
  return (
    matchesAction(filters, event.Action) &&
    exact(filters, 'type', event.Type) &&
    exact(filters, 'scope', event.scope) &&
    [
      'container',
      'daemon',
      'plugin',
      'volume',
      'network',
      'node',
      'service',
      'secret',
      'config',
    ].every((key) => fuzzy(filters, key, ID, name)) &&
    matchesImage(filters, event) &&
    matchesLabels(filters, Attributes)
  );
}
