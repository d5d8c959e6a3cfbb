// Leases keep what a multi-step operation creates (blobs, snapshots) from containerd's
// garbage collector until the image or container record that references it exists.
import { randomUUID } from 'node:crypto';
import type { ContainerdConnection } from './connection';

export interface Lease {
  id: string;
  /** Settles with the Create call: resources may be put under the lease once it resolves. */
  created: Promise<void>;
  /** Deletes the lease (after its Create settled); never rejects. */
  release(): Promise<void>;
}

/**
 * Creates a lease that expires on its own if dockerd dies mid-way. The Create call is under
 * way when this returns, so the caller can make another call meanwhile (each is a round trip
 * on the path of `docker run`).
 */
export function openLease(connection: ContainerdConnection, expireMs = 60 * 60_000): Lease {
  const id = `berth-dockerd-${randomUUID()}`;
  const expire = new Date(Date.now() + expireMs).toISOString();
  const created = connection
    .call('leases', 'Create', { id, labels: { 'containerd.io/gc.expire': expire } })
    .then(() => undefined);
  return {
    id,
    created,
    release: () =>
      created.then(
        () =>
          connection.call('leases', 'Delete', { id, sync: false }).then(
            () => undefined,
            () => undefined,
          ),
        () => undefined,
      ),
  };
}

/** Runs `fn` under a fresh lease (see openLease). */
export async function withLease<T>(
  connection: ContainerdConnection,
  fn: (lease: string) => Promise<T>,
): Promise<T> {
  const lease = openLease(connection);
  try {
    await lease.created;
    return await fn(lease.id);
  } finally {
    await lease.release();
  }
}
