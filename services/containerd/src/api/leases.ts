import type { containerd } from '@berth/proto';
import type { GarbageCollector } from '../core/gc/gc';
import type { Lease, LeaseStore } from '../core/metadata/leases';
import { EMPTY, namespaced, toTimestamp } from './grpc';

const leaseToMsg = (l: Lease) => ({
  id: l.id,
  labels: l.labels,
  created_at: toTimestamp(l.createdAt),
});
const resourceOf = (r: { id: string; type: string } | null) => ({
  id: r?.id ?? '',
  type: r?.type ?? '',
});

export function leasesService(
  store: LeaseStore,
  gc: GarbageCollector,
): containerd.services.leases.v1.LeasesHandlers {
  return {
    Create: namespaced((ctx, req) => ({
      lease: leaseToMsg(store.create(ctx, req.id, req.labels)),
    })),
    Delete: namespaced(async (ctx, req) => {
      store.delete(ctx, req.id);
      if (req.sync) await gc.collect();
      else gc.schedule();
      return EMPTY;
    }),
    List: namespaced((ctx, req) => ({ leases: store.list(ctx, req.filters).map(leaseToMsg) })),
    AddResource: namespaced((ctx, req) => {
      store.addResource(ctx, req.id, resourceOf(req.resource));
      return EMPTY;
    }),
    DeleteResource: namespaced((ctx, req) => {
      store.deleteResource(ctx, req.id, resourceOf(req.resource));
      gc.schedule();
      return EMPTY;
    }),
    ListResources: namespaced((ctx, req) => ({ resources: store.listResources(ctx, req.id) })),
  };
}
