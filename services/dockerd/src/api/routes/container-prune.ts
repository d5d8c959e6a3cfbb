// POST /containers/prune: removes stopped containers (filters until and label/label!) and
// reports the writable-layer bytes their removal freed, as Docker does.
import type { FastifyInstance } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import type { ContainerManager } from '../../containers/manager';
import type { EventBus } from '../../events/bus';
import { parseTimestamp } from '../../events/timestamps';
import { SNAPSHOTTER } from '../../images/unpack';
import { excludedByLabels, matchesLabels, parseFilters } from '../filters';

export interface ContainerPruneDeps {
  containers: ContainerManager;
  connection: ContainerdConnection;
  events: EventBus;
}

export function containerPruneRoutes(app: FastifyInstance, deps: ContainerPruneDeps) {
  const usage = (id: string) =>
    deps.connection
      .call<{ size: string | number }>('snapshots', 'Usage', { snapshotter: SNAPSHOTTER, key: id })
      .then((u) => Number(u.size))
      .catch(() => 0);

  app.post('/containers/prune', async (req) => {
    const filters = parseFilters((req.query as Record<string, string>).filters, [
      'until',
      'label',
      'label!',
    ]);
    const untilNs = (filters.get('until') ?? []).map((v) => parseTimestamp(v));
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const container of deps.containers.list()) {
      const { record } = container;
      if (container.running) continue;
      if (untilNs.some((until) => Date.parse(record.Created) * 1e6 >= until)) continue;
      if (!matchesLabels(filters, record.Config.Labels)) continue;
      if (excludedByLabels(filters, record.Config.Labels)) continue;
      const size = await usage(container.id);
      await deps.containers.remove(container.id, { force: false });
      deleted.push(container.id);
      reclaimed += size;
    }
    deps.events.publish({
      Type: 'container',
      Action: 'prune',
      Actor: { ID: '', Attributes: { reclaimed: String(reclaimed) } },
    });
    return { ContainersDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
  });
}
