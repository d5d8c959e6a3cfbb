// GET /events: remembered events from `since` (to `until`), then live ones until `until`
// passes or the client leaves, one JSON object per line, as dockerd streams them.
import type { FastifyInstance } from 'fastify';
import type { DockerEvent, EventBus } from '../../events/bus';
import { matchesEvent, parseEventFilters } from '../../events/filter';
import { parseTimestamp } from '../../events/timestamps';
import { invalidParameter } from '../errors';
import { openStream } from '../stream-reply';
import { compareVersions } from '../versions';

export interface EventRouteDeps {
  engineVersion: string;
  events: EventBus;
}

type Query = Record<string, string | undefined>;

/** API < 1.52 still carries the pre-1.22 fields on container and image events. */
function wireEvent(event: DockerEvent, apiVersion: string): object {
  if (compareVersions(apiVersion, '1.52') >= 0) return event;
  if (event.Type === 'container')
    return {
      status: event.Action,
      id: event.Actor.ID,
      from: event.Actor.Attributes.image ?? '',
      ...event,
    };
  if (event.Type === 'image') return { status: event.Action, id: event.Actor.ID, ...event };
  return event;
}

export function eventRoutes(app: FastifyInstance, deps: EventRouteDeps) {
  app.get('/events', async (req, reply) => {
    const query = req.query as Query;
    const filters = parseEventFilters(query.filters);
    const since = query.since ? parseTimestamp(query.since) : 0;
    const until = query.until ? parseTimestamp(query.until) : 0;
    if (until && until < since)
      throw invalidParameter(
        `\`since\` time (${query.since}) cannot be after \`until\` time (${query.until})`,
      );
    const selected = (e: DockerEvent) => matchesEvent(filters, e);
    const encode = (e: DockerEvent) => `${JSON.stringify(wireEvent(e, req.apiVersion))}\n`;
    const raw = openStream(reply, deps.engineVersion, 'application/json');
    if (since || until)
      for (const e of deps.events.recent(since, until).filter(selected)) raw.write(encode(e));
    const remainingMs = until ? until / 1e6 - Date.now() : Infinity;
    if (remainingMs <= 0) return raw.end();
    const unsubscribe = deps.events.subscribe((e) => selected(e) && raw.write(encode(e)));
    const timer = Number.isFinite(remainingMs)
      ? setTimeout(() => raw.end(), remainingMs)
      : undefined;
    raw.on('close', () => {
      unsubscribe();
      clearTimeout(timer);
    });
  });
}
