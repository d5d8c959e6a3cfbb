// containerd's /tasks/oom envelopes become container IDs, and the subscription comes back
// after containerd ends it (a restart).
import { packAny } from '@berth/proto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ContainerdConnection } from '../src/containerd/connection';
import { followOomEvents, oomContainerId, taskCgroupExists } from '../src/containers/oom-events';

const oom = (id: string) => ({ event: packAny('containerd.events.TaskOOM', { container_id: id }) });

describe('live OOM events', () => {
  it('reads the container ID of a TaskOOM envelope', () => {
    expect(oomContainerId(oom('c1'))).toBe('c1');
    expect(oomContainerId({ event: null })).toBeUndefined();
  });

  it('subscribes to /tasks/oom in the moby namespace and resubscribes when cut', async () => {
    const requests: object[] = [];
    let streams = 0;
    const connection = {
      serverStream: (service: string, method: string, request: object) => {
        requests.push({ service, method, request });
        streams++;
        return (async function* () {
          yield oom(`c${streams}`);
          if (streams === 1) throw Object.assign(new Error('unavailable'), { code: 14 });
          await new Promise(() => undefined);
        })();
      },
    } as unknown as ContainerdConnection;
    const seen: string[] = [];
    const follower = followOomEvents(
      connection,
      (id) => seen.push(id),
      pino({ level: 'silent' }),
      1,
    );
    await expect.poll(() => seen).toEqual(['c1', 'c2']);
    follower.stop();
    expect(requests[0]).toEqual({
      service: 'events',
      method: 'Subscribe',
      request: { filters: ['topic=="/tasks/oom",namespace==moby'] },
    });
    expect(requests).toHaveLength(2);
  });

  it('takes an event for a task whose cgroup containerd no longer reads as no kill', async () => {
    const answering = (answer: () => unknown) =>
      ({ call: async () => answer() }) as unknown as ContainerdConnection;
    await expect(
      taskCgroupExists(
        answering(() => ({ metrics: [{ id: 'c1' }] })),
        'c1',
      ),
    ).resolves.toBe(true);
    await expect(
      taskCgroupExists(
        answering(() => ({ metrics: [] })),
        'c1',
      ),
    ).resolves.toBe(false);
    const gone = answering(() => {
      throw Object.assign(new Error('not found'), { code: 5 });
    });
    await expect(taskCgroupExists(gone, 'c1')).resolves.toBe(false);
  });
});
