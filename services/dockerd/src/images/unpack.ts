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
    await applyLayer(connection, layer, chain[i - 1] ?? '', lease, (applied) => {
      if (applied !== diffIds[i])
        throw new Error(`layer ${layer.digest}: unpacked to ${applied}, config says ${diffIds[i]}`);
      return chainId;
    });
  }
  return chain.at(-1) ?? '';
}

/**
 * Applies one layer on the committed snapshot `parent` and commits the result under the name
 * `nameFor` gives for the diff ID containerd computed while applying (which it returns). A
 * snapshot of that name that exists already is kept.
 */
export async function applyLayer(
  connection: ContainerdConnection,
  layer: Descriptor,
  parent: string,
  lease: string,
  nameFor: (diffId: string) => string,
): Promise<string> {
  const key = `extract-${randomUUID()} ${parent}`;
  const { mounts } = await connection.call<{ mounts: object[] }>(
    'snapshots',
    'Prepare',
    { snapshotter: SNAPSHOTTER, key, parent },
    { lease },
  );
  let diffId: string | undefined;
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
    diffId = applied.digest;
    const name = nameFor(diffId);
    await connection.call(
      'snapshots',
      'Commit',
      { snapshotter: SNAPSHOTTER, name, key },
      { lease },
    );
    return diffId;
  } catch (err) {
    await connection
      .call('snapshots', 'Remove', { snapshotter: SNAPSHOTTER, key })
      .catch(() => undefined);
    if (diffId === undefined || grpcCode(err) !== GrpcCode.ALREADY_EXISTS) throw err;
    return diffId;
  }
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
