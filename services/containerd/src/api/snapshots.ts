import type { containerd } from '@berth/proto';
import { invalidArgument } from '../core/errdefs';
import { Kind, type SnapshotInfo, type SnapshotStore } from '../core/metadata/snapshots';
import { mountToMsg } from './convert';
import { contextOf, EMPTY, namespaced, pathsOf, streaming, toTimestamp } from './grpc';
import type { publisher } from './events';

const KIND_NAMES = {
  [Kind.View]: 'VIEW',
  [Kind.Active]: 'ACTIVE',
  [Kind.Committed]: 'COMMITTED',
} as const;
const LIST_BATCH = 100;

const infoToMsg = (i: SnapshotInfo) => ({
  name: i.name,
  parent: i.parent,
  kind: KIND_NAMES[i.kind],
  labels: i.labels,
  created_at: toTimestamp(i.createdAt),
  updated_at: toTimestamp(i.updatedAt),
});

export function snapshotsService(
  store: SnapshotStore,
  publish: ReturnType<typeof publisher>,
): containerd.services.snapshots.v1.SnapshotsHandlers {
  // Only the overlayfs snapshotter is loaded; upstream rejects others the same way.
  const check = (name: string) => {
    if (name !== store.name) throw invalidArgument(`snapshotter not loaded: ${name}`);
  };
  return {
    Prepare: namespaced((ctx, req) => {
      check(req.snapshotter);
      const mounts = store.prepare(ctx, req.key, req.parent, req.labels);
      publish(ctx.namespace, '/snapshot/prepare', 'containerd.events.SnapshotPrepare', {
        key: req.key,
        parent: req.parent,
      });
      return { mounts: mounts.map(mountToMsg) };
    }),
    View: namespaced((ctx, req) => {
      check(req.snapshotter);
      return { mounts: store.view(ctx, req.key, req.parent, req.labels).map(mountToMsg) };
    }),
    Mounts: namespaced((ctx, req) => {
      check(req.snapshotter);
      return { mounts: store.mounts(ctx, req.key).map(mountToMsg) };
    }),
    Commit: namespaced((ctx, req) => {
      check(req.snapshotter);
      store.commit(ctx, req.name, req.key, req.labels);
      publish(ctx.namespace, '/snapshot/commit', 'containerd.events.SnapshotCommit', {
        key: req.key,
        name: req.name,
      });
      return EMPTY;
    }),
    Remove: namespaced((ctx, req) => {
      check(req.snapshotter);
      store.remove(ctx, req.key);
      publish(ctx.namespace, '/snapshot/remove', 'containerd.events.SnapshotRemove', {
        key: req.key,
      });
      return EMPTY;
    }),
    Stat: namespaced((ctx, req) => {
      check(req.snapshotter);
      return { info: infoToMsg(store.stat(ctx, req.key)) };
    }),
    Update: namespaced((ctx, req) => {
      check(req.snapshotter);
      const info = { name: req.info?.name ?? '', labels: req.info?.labels ?? {} };
      return { info: infoToMsg(store.update(ctx, info, pathsOf(req.update_mask))) };
    }),
    List: streaming((req, write, call) => {
      check(req.snapshotter);
      const infos = store.list(contextOf(call.metadata), req.filters).map(infoToMsg);
      for (let i = 0; i < infos.length; i += LIST_BATCH)
        write({ info: infos.slice(i, i + LIST_BATCH) });
    }),
    Usage: namespaced(async (ctx, req) => {
      check(req.snapshotter);
      return store.usage(ctx, req.key);
    }),
    Cleanup: namespaced((_ctx, req) => {
      check(req.snapshotter);
      store.cleanup();
      return EMPTY;
    }),
  };
}
