// A Tasks.Wait cut by a containerd restart is asked again; any other failure ends the wait.
import { describe, expect, it } from 'vitest';
import type { ContainerdConnection } from '../src/containerd/connection';
import { waitTaskExit } from '../src/containers/task-wait';

function connectionFailing(errors: { code: number }[], status: number) {
  const calls: unknown[] = [];
  const connection = {
    call: async (...args: unknown[]) => {
      calls.push(args);
      const err = errors.shift();
      if (err) throw Object.assign(new Error(`code ${err.code}`), err);
      return { exit_status: status };
    },
  } as unknown as ContainerdConnection;
  return { connection, calls };
}

describe('waitTaskExit', () => {
  it('waits again after containerd cut the call and while it is unavailable', async () => {
    const { connection, calls } = connectionFailing([{ code: 1 }, { code: 14 }], 3);
    await expect(waitTaskExit(connection, 'c1', 1)).resolves.toBe(3);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toEqual(['tasks', 'Wait', { container_id: 'c1' }, { deadlineMs: 0 }]);
  });

  it('gives up on any other error', async () => {
    const { connection, calls } = connectionFailing([{ code: 5 }], 0);
    await expect(waitTaskExit(connection, 'c1', 1)).rejects.toThrow('code 5');
    expect(calls).toHaveLength(1);
  });
});
