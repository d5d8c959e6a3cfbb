// dockerd's event bus: every publish is stamped, kept in a bounded ring of recent events
// (Docker keeps the last 256 for `docker events --since`) and handed to live subscribers.

export type EventType =
  | 'builder'
  | 'config'
  | 'container'
  | 'daemon'
  | 'image'
  | 'network'
  | 'node'
  | 'plugin'
  | 'secret'
  | 'service'
  | 'volume';

export interface EventActor {
  ID: string;
  Attributes: Record<string, string>;
}

/** An event as the Engine API sends it (events.Message). */
export interface DockerEvent {
  Type: EventType;
  Action: string;
  Actor: EventActor;
  scope: 'local' | 'swarm';
  /** Seconds since the epoch. */
  time: number;
  /** Nanoseconds since the epoch. */
  timeNano: number;
}

/** What a publisher provides; scope and time default to 'local' and now. */
export type EventInput = Omit<DockerEvent, 'scope' | 'time' | 'timeNano'> &
  Partial<Pick<DockerEvent, 'scope' | 'time' | 'timeNano'>>;

export type EventListener = (event: DockerEvent) => void;

/** How many past events dockerd remembers (moby daemon/events eventsLimit). */
export const EVENTS_LIMIT = 256;

/** Nanoseconds since the epoch, monotonic within the process (sub-millisecond resolution). */
function nowNano(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1e6);
}

export class EventBus {
  private readonly ring: DockerEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly limit = EVENTS_LIMIT) {}

  publish(input: EventInput): DockerEvent {
    const nano = input.timeNano ?? nowNano();
    const event: DockerEvent = {
      Type: input.Type,
      Action: input.Action,
      Actor: { ID: input.Actor.ID, Attributes: { ...input.Actor.Attributes } },
      scope: input.scope ?? 'local',
      time: input.time ?? Math.floor(nano / 1e9),
      timeNano: nano,
    };
    this.ring.push(event);
    if (this.ring.length > this.limit) this.ring.shift();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Remembered events with sinceNano <= timeNano <= untilNano (0: no bound), oldest first. */
  recent(sinceNano: number, untilNano: number): DockerEvent[] {
    return this.ring.filter(
      (e) => e.timeNano >= sinceNano && (untilNano === 0 || e.timeNano <= untilNano),
    );
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
