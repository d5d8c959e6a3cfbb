// The container `oom` event, live: the shim publishes /tasks/oom when the kernel OOM-kills in
// a task's cgroup, and moby's libcontainerd turns that into State.OOMKilled and an `oom` event
// at once (not only when the task exits). The subscription outlives a containerd restart.
import { unpackAny } from '@berth/proto';
import type { Logger } from 'pino';
import { DOCKER_NAMESPACE, type ContainerdConnection } from '../containerd/connection';

// One filter: containerd ORs the strings of the list and ANDs the comma-separated parts of each.
const OOM_FILTERS = [`topic=="/tasks/oom",namespace==${DOCKER_NAMESPACE}`];
const RETRY_MS = 1000;

interface Envelope {
  event: { type_url: string; value: Uint8Array } | null;
}

/** The container an envelope's TaskOOM names, if it carries one. */
export function oomContainerId(envelope: Envelope): string | undefined {
  if (!envelope.event) return undefined;
  const { value } = unpackAny(envelope.event);
  const id = (value as { container_id?: unknown }).container_id;
  return typeof id === 'string' && id ? id : undefined;
}

/** Calls `onOom` with each OOM-killed container's ID until stopped. */
export function followOomEvents(
  connection: ContainerdConnection,
  onOom: (containerId: string) => void,
  log: Logger,
  retryMs = RETRY_MS,
): { stop(): void } {
  let stopped = false;
  let current: { cancel?: () => void } | undefined;
  void (async () => {
    while (!stopped) {
      try {
        const stream = connection.serverStream<Envelope>(
          'events',
          'Subscribe',
          { filters: OOM_FILTERS },
          { deadlineMs: 0 },
        );
        current = stream as { cancel?: () => void };
        for await (const envelope of stream) {
          const id = oomContainerId(envelope);
          if (id) onOom(id);
        }
      } catch (err) {
        if (!stopped) log.debug({ err }, 'containerd oom subscription ended; resubscribing');
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  })();
  return {
    stop() {
      stopped = true;
      current?.cancel?.();
    },
  };
}

/**
 * Whether containerd still reads the task's cgroup. cgroup v1 also signals the shim's OOM
 * eventfd when Tasks.Delete removes the cgroup; that event names a task that is gone. (The
 * kill counter is no test: the kernel notifies before it counts the kill.)
 */
export async function taskCgroupExists(
  connection: ContainerdConnection,
  containerId: string,
): Promise<boolean> {
  try {
    const { metrics } = await connection.call<{ metrics: { id: string }[] }>('tasks', 'Metrics', {
      filters: [`id==${containerId}`],
    });
    return metrics.some((m) => m.id === containerId);
  } catch {
    return false;
  }
}
