// POST /containers/{id}/update: new resource limits and restart policy for a container.
import type { FastifyInstance } from 'fastify';
import type { UpdateConfig } from '../../containers/update';
import { updateContainer, type UpdaterDeps } from '../../containers/updater';

export function updateRoutes(app: FastifyInstance, deps: UpdaterDeps) {
  app.post<{ Params: { id: string } }>('/containers/:id/update', async (req) =>
    updateContainer(deps, req.params.id, (req.body ?? {}) as UpdateConfig),
  );
}
