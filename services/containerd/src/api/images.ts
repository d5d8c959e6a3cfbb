import type { containerd } from '@berth/proto';
import type { Image, ImageStore } from '../core/metadata/images';
import type { GarbageCollector } from '../core/gc/gc';
import { descriptorFromMsg, descriptorToMsg } from './convert';
import { EMPTY, namespaced, pathsOf, toTimestamp } from './grpc';
import type { publisher } from './events';

type ImageMsg = containerd.services.images.v1.Image__Output;

const imageToMsg = (i: Image) => ({
  name: i.name,
  labels: i.labels,
  target: descriptorToMsg(i.target),
  created_at: toTimestamp(i.createdAt),
  updated_at: toTimestamp(i.updatedAt),
});

const imageFromMsg = (m: ImageMsg | null): Image => ({
  name: m?.name ?? '',
  labels: m?.labels ?? {},
  target: descriptorFromMsg(m?.target),
  createdAt: 0,
  updatedAt: 0,
});

export function imagesService(
  store: ImageStore,
  gc: GarbageCollector,
  publish: ReturnType<typeof publisher>,
): containerd.services.images.v1.ImagesHandlers {
  return {
    Get: namespaced((ctx, req) => ({ image: imageToMsg(store.get(ctx, req.name)) })),
    List: namespaced((ctx, req) => ({ images: store.list(ctx, req.filters).map(imageToMsg) })),
    Create: namespaced((ctx, req) => {
      const image = store.create(ctx, imageFromMsg(req.image));
      publish(ctx.namespace, '/images/create', 'containerd.services.images.v1.ImageCreate', {
        name: image.name,
        labels: image.labels,
      });
      return { image: imageToMsg(image) };
    }),
    Update: namespaced((ctx, req) => {
      const image = store.update(ctx, imageFromMsg(req.image), pathsOf(req.update_mask));
      publish(ctx.namespace, '/images/update', 'containerd.services.images.v1.ImageUpdate', {
        name: image.name,
        labels: image.labels,
      });
      return { image: imageToMsg(image) };
    }),
    Delete: namespaced(async (ctx, req) => {
      store.delete(ctx, req.name);
      publish(ctx.namespace, '/images/delete', 'containerd.services.images.v1.ImageDelete', {
        name: req.name,
      });
      if (req.sync) await gc.collect();
      return EMPTY;
    }),
  };
}
