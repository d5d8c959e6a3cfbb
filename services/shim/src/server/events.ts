// Task events back to containerd: ttrpc Forward calls to TTRPC_ADDRESS with an Envelope, one
// at a time and in order, retried while containerd is away (e.g. restarting).
import { TtrpcClient } from '@berth/ttrpc';
import type { Logger } from 'pino';
import { encode, packAny } from '../proto';
import { timestamp } from '../timestamp';

const EVENTS_SERVICE = 'containerd.services.events.ttrpc.v1.Events';
const RETRY_MS = 500;
const GIVE_UP_MS = 120_000;

/** Event topic by containerd.events message, as upstream's runtime topics. */
export const TOPICS = {
  'containerd.events.TaskCreate': '/tasks/create',
  'containerd.events.TaskStart': '/tasks/start',
  'containerd.events.TaskExit': '/tasks/exit',
  'containerd.events.TaskOOM': '/tasks/oom',
  'containerd.events.TaskExecAdded': '/tasks/exec-added',
  'containerd.events.TaskExecStarted': '/tasks/exec-started',
  'containerd.events.TaskDelete': '/tasks/delete',
  'containerd.events.TaskPaused': '/tasks/paused',
  'containerd.events.TaskResumed': '/tasks/resumed',
} as const;
export type EventName = keyof typeof TOPICS;

export interface EventSink {
  publish(namespace: string, name: EventName, event: object): Promise<void>;
}

export class EventPublisher implements EventSink {
  private client: Promise<TtrpcClient> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly address: string,
    private readonly log: Logger,
  ) {}

  /** Queues the event; resolves once containerd took it (or it was given up on). */
  publish(namespace: string, name: EventName, event: object): Promise<void> {
    const request = encode('containerd.services.events.ttrpc.v1.ForwardRequest', {
      envelope: {
        timestamp: timestamp(new Date()),
        namespace,
        topic: TOPICS[name],
        event: packAny(name, event),
      },
    });
    this.queue = this.queue.then(() => this.deliver(name, request));
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue;
    const client = await this.client?.catch(() => undefined);
    await client?.close();
  }

  private async deliver(name: string, request: Uint8Array): Promise<void> {
    const deadline = Date.now() + GIVE_UP_MS;
    for (;;) {
      try {
        const client = await this.connect();
        await client.call(EVENTS_SERVICE, 'Forward', request, { timeoutMs: 5000 });
        return;
      } catch (err) {
        this.client = undefined;
        if (Date.now() > deadline) {
          this.log.error({ err, event: name }, 'giving up on publishing event');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private connect(): Promise<TtrpcClient> {
    if (!this.client) {
      const connecting = TtrpcClient.connect(this.address);
      this.client = connecting;
      void connecting.then(
        (c) => c.closed.then(() => this.client === connecting && (this.client = undefined)),
        () => {},
      );
    }
    return this.client;
  }
}
