import type { containerd } from '@berth/proto';
import type { Container, ContainerStore } from '../core/metadata/containers';
import { anyFromMsg, anyToMsg } from './convert';
import { contextOf, EMPTY, namespaced, pathsOf, streaming, toTimestamp } from './grpc';
import type { publisher } from './events';

type ContainerMsg = containerd.services.containers.v1.Container__Output;

const containerToMsg = (c: Container) => ({
  id: c.id,
  labels: c.labels,
  image: c.image,
  runtime: { name: c.runtime.name, options: anyToMsg(c.runtime.options) },
  spec: anyToMsg(c.spec),
  snapshotter: c.snapshotter,
  snapshot_key: c.snapshotKey,
  created_at: toTimestamp(c.createdAt),
  updated_at: toTimestamp(c.updatedAt),
  extensions: Object.fromEntries(
    Object.entries(c.extensions).map(([k, v]) => [
      k,
      { type_url: v.typeUrl, value: Buffer.from(v.value) },
    ]),
  ),
});

function containerFromMsg(m: ContainerMsg | null): Container {
  const extensions: Container['extensions'] = {};
  for (const [k, v] of Object.entries(m?.extensions ?? {})) {
    const a = anyFromMsg(v);
    if (a) extensions[k] = a;
  }
  return {
    id: m?.id ?? '',
    labels: m?.labels ?? {},
    image: m?.image ?? '',
    runtime: { name: m?.runtime?.name ?? '', options: anyFromMsg(m?.runtime?.options) },
    spec: anyFromMsg(m?.spec),
    snapshotter: m?.snapshotter ?? '',
    snapshotKey: m?.snapshot_key ?? '',
    extensions,
    createdAt: 0,
    updatedAt: 0,
  };
}

export function containersService(
  store: ContainerStore,
  publish: ReturnType<typeof publisher>,
): containerd.services.containers.v1.ContainersHandlers {
  return {
    Get: namespaced((ctx, req) => ({ container: containerToMsg(store.get(ctx, req.id)) })),
    List: namespaced((ctx, req) => ({
      containers: store.list(ctx, req.filters).map(containerToMsg),
    })),
    ListStream: streaming((req, write, call) => {
      for (const c of store.list(contextOf(call.metadata), req.filters))
        write({ container: containerToMsg(c) });
    }),
    Create: namespaced((ctx, req) => {
      const c = store.create(ctx, containerFromMsg(req.container));
      publish(ctx.namespace, '/containers/create', 'containerd.events.ContainerCreate', {
        id: c.id,
        image: c.image,
        runtime: { name: c.runtime.name, options: anyToMsg(c.runtime.options) },
      });
      return { container: containerToMsg(c) };
    }),
    Update: namespaced((ctx, req) => {
      const c = store.update(ctx, containerFromMsg(req.container), pathsOf(req.update_mask));
      publish(ctx.namespace, '/containers/update', 'containerd.events.ContainerUpdate', {
        id: c.id,
        image: c.image,
        labels: c.labels,
        snapshot_key: c.snapshotKey,
      });
      return { container: containerToMsg(c) };
    }),
    Delete: namespaced((ctx, req) => {
      store.delete(ctx, req.id);
      publish(ctx.namespace, '/containers/delete', 'containerd.events.ContainerDelete', {
        id: req.id,
      });
      return EMPTY;
    }),
  };
}
