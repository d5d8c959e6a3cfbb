// Unpacks an image's layers into containerd's overlayfs snapshotter with Diff.Apply, one
// committed snapshot per chain ID, as containerd's unpacker (and Docker's containerd
// image store) does. Layers already unpacked are skipped.
import { randomUUID } from 'node:crypto';
import type { ContainerdConnection } from '../containerd/connection';
import { GrpcCode, grpcCode } from '../containerd/connection';
import { chainIds } from './chain-id';
import type { Descriptor } from './media-types';

export const SNAPSHOTTER = 'overlayfs';

export async function unpackLayers(
  connection: ContainerdConnection,
  layers: readonly Descriptor[],
  diffIds: readonly string[],
  lease: string,
): Promise<string> {
  const chain = chainIds(diffIds);
  for (const [i, layer] of layers.entries()) {
    const chainId = chain[i]!;
    if (await snapshotExists(connection, chainId)) continue;
    const key = `extract-${randomUUID()} ${chainId}`;
    const { mounts } = await connection.call<{ mounts: object[] }>(
      'snapshots',
      'Prepare',
      { snapshotter: SNAPSHOTTER, key, parent: chain[i - 1] ?? '' },
      { lease },
    );
    try {
      const { applied } = await connection.call<{ applied: { digest: string } }>(
        'diff',
        'Apply',
        {
          diff: { media_type: layer.mediaType, digest: layer.digest, size: String(layer.size) },
          mounts,
        },
        { lease, deadlineMs: 10 * 60_000 },
      );
      if (applied.digest !== diffIds[i]) {
        throw new Error(
          `layer ${layer.digest}: unpacked to ${applied.digest}, config says ${diffIds[i]}`,
        );
      }
      await connection.call(
        'snapshots',
        'Commit',
        { snapshotter: SNAPSHOTTER, name: chainId, key },
        { lease },
      );
    } catch (err) {
      await connection
        .call('snapshots', 'Remove', { snapshotter: SNAPSHOTTER, key })
        .catch(() => undefined);
      if (grpcCode(err) !== GrpcCode.ALREADY_EXISTS) throw err;
    }
  }
  return chain.at(-1) ?? '';
}

async function snapshotExists(connection: ContainerdConnection, key: string): Promise<boolean> {
  try {
    await connection.call('snapshots', 'Stat', { snapshotter: SNAPSHOTTER, key });
    return true;
  } catch (err) {
    if (grpcCode(err) === GrpcCode.NOT_FOUND) return false;
    throw err;
  }
}
