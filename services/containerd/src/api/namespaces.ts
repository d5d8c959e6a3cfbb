import type { containerd } from '@berth/proto';
import type { NamespaceStore } from '../core/metadata/namespaces';
import { EMPTY, pathsOf, unary } from './grpc';
import type { publisher } from './events';

export function namespacesService(
  store: NamespaceStore,
  publish: ReturnType<typeof publisher>,
): containerd.services.namespaces.v1.NamespacesHandlers {
  return {
    Get: unary((req) => ({ namespace: store.get(req.name) })),
    List: unary(() => ({ namespaces: store.list() })),
    Create: unary((req) => {
      const ns = store.create(req.namespace?.name ?? '', req.namespace?.labels ?? {});
      publish(ns.name, '/namespaces/create', 'containerd.events.NamespaceCreate', ns);
      return { namespace: ns };
    }),
    Update: unary((req) => {
      const ns = store.update(
        { name: req.namespace?.name ?? '', labels: req.namespace?.labels ?? {} },
        pathsOf(req.update_mask),
      );
      publish(ns.name, '/namespaces/update', 'containerd.events.NamespaceUpdate', ns);
      return { namespace: ns };
    }),
    Delete: unary((req) => {
      store.delete(req.name);
      publish(req.name, '/namespaces/delete', 'containerd.events.NamespaceDelete', {
        name: req.name,
      });
      return EMPTY;
    }),
  };
}
