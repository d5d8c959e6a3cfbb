// /containers/{id}/exec and /exec/{id}: create, detached start, inspect, resize. An attached
// start upgrades the connection (../hijack).
import type { FastifyInstance } from 'fastify';
import type { ExecConfig, ExecManager } from '../../containers/exec';
import type { ContainerManager } from '../../containers/manager';

type Params = { id: string };
type Query = Record<string, string | undefined>;

export function execRoutes(
  app: FastifyInstance,
  deps: { execs: ExecManager; containers: ContainerManager },
) {
  app.post<{ Params: Params }>('/containers/:id/exec', async (req, reply) => {
    const exec = deps.execs.create(req.params.id, (req.body ?? {}) as ExecConfig);
    return reply.status(201).send({ Id: exec.id });
  });

  app.post<{ Params: Params }>('/exec/:id/start', async (req, reply) => {
    await deps.execs.start(deps.execs.get(req.params.id));
    return reply.status(200).send();
  });

  app.get<{ Params: Params }>('/exec/:id/json', async (req) =>
    deps.execs.get(req.params.id).inspect(),
  );

  app.post<{ Params: Params }>('/exec/:id/resize', async (req, reply) => {
    const exec = deps.execs.get(req.params.id);
    const query = req.query as Query;
    await deps.containers.resize(
      exec.container.id,
      Number(query.h ?? 0),
      Number(query.w ?? 0),
      exec.id,
    );
    return reply.status(200).send();
  });
}
