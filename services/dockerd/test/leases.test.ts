// A lease's Create is on its way when openLease returns; release deletes it once it exists.
import { describe, expect, it } from 'vitest';
import type { ContainerdConnection } from '../src/containerd/connection';
import { openLease, withLease } from '../src/containerd/leases';

/** A connection whose calls stay pending until `settle` answers them, in order. */
function pendingConnection(failCreate = false) {
  const calls: [string, string, Record<string, unknown>][] = [];
  const waiting: (() => void)[] = [];
  const connection = {
    call: (service: string, method: string, request: Record<string, unknown>) => {
      calls.push([service, method, request]);
      return new Promise((resolve, reject) =>
        waiting.push(() =>
          failCreate && method === 'Create' ? reject(new Error('unavailable')) : resolve({}),
        ),
      );
    },
  } as unknown as ContainerdConnection;
  const settle = async () => {
    while (waiting.length) waiting.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { connection, calls, settle };
}

describe('openLease', () => {
  it('has sent Create when it returns, with an expiry, and deletes the lease on release', async () => {
    const { connection, calls, settle } = pendingConnection();
    const lease = openLease(connection, 60_000);
    expect(calls.map(([s, m]) => `${s}.${m}`)).toEqual(['leases.Create']);
    const [, , create] = calls[0]!;
    expect(create.id).toBe(lease.id);
    const expire = Date.parse(
      (create.labels as Record<string, string>)['containerd.io/gc.expire']!,
    );
    expect(expire - Date.now()).toBeGreaterThan(50_000);

    const released = lease.release();
    await new Promise((r) => setImmediate(r));
    // No Delete before the Create it would race has answered.
    expect(calls).toHaveLength(1);
    await settle();
    await settle();
    await released;
    expect(calls.map(([s, m, r]) => `${s}.${m} ${String(r.id)}`)).toEqual([
      `leases.Create ${lease.id}`,
      `leases.Delete ${lease.id}`,
    ]);
  });

  it('releases without a Delete, and without rejecting, when Create failed', async () => {
    const { connection, calls, settle } = pendingConnection(true);
    const lease = openLease(connection);
    const released = lease.release();
    await settle();
    await expect(released).resolves.toBeUndefined();
    await expect(lease.created).rejects.toThrow('unavailable');
    expect(calls.map(([, m]) => m)).toEqual(['Create']);
  });
});

describe('withLease', () => {
  it('runs the work under the created lease and deletes it after, also on failure', async () => {
    const { connection, calls, settle } = pendingConnection();
    const done = withLease(connection, async (id) => {
      expect(calls.map(([, m]) => m)).toEqual(['Create']);
      throw new Error(`failed under ${id}`);
    });
    const outcome = expect(done).rejects.toThrow(/failed under berth-dockerd-/);
    await settle();
    await settle();
    await outcome;
    expect(calls.map(([, m]) => m)).toEqual(['Create', 'Delete']);
  });
});
