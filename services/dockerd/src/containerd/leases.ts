// Leases keep what a multi-step operation creates (blobs, snapshots) from containerd's
// garbage collector until the image or container record that references it exists.
import { randomUUID } from 'node:crypto';
import type { ContainerdConnection } from './connection';

/** Runs `fn` under a fresh lease that expires on its own if dockerd dies mid-way. */
export async function withLease<T>(
  connection: ContainerdConnection,
  fn: (lease: string) => Promise<T>,
  expireMs = 60 * 60_000,
): Promise<T> {
  const id = `berth-dockerd-${randomUUID()}`;
  const expire = new Date(Date.now() + expireMs).toISOString();
  await connection.call('leases', 'Create', { id, labels: { 'containerd.io/gc.expire': expire } });
  try {
    return await fn(id);
  } finally {
    await connection.call('leases', 'Delete', { id, sync: false }).catch(() => undefined);
  }
}
