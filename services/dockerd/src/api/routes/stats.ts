// GET /containers/{id}/stats: one sample per second while streaming, each carrying the
// previous one's CPU figures (precpu_stats) so clients can compute a CPU percentage. With
// stream=false the first sample only primes precpu_stats and the second is sent, as
// dockerd does; one-shot sends the first at once.
import type { FastifyInstance } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import type { ContainerManager } from '../../containers/manager';
import { ZERO_TIME } from '../../containers/record';
import { emptyCpuStats, sampleContainer, type CpuStats } from '../../containers/stats';
import { invalidParameter } from '../errors';
import { booleanQuery } from '../filters';
import { openStream } from '../stream-reply';

export interface StatsRouteDeps {
  engineVersion: string;
  connection: ContainerdConnection;
  containers: ContainerManager;
}

/** dockerd's collector interval. */
export const STATS_INTERVAL_MS = 1000;

type Query = Record<string, string | undefined>;

export function statsRoutes(app: FastifyInstance, deps: StatsRouteDeps) {
  app.get<{ Params: { id: string } }>('/containers/:id/stats', async (req, reply) => {
    const query = req.query as Query;
    const stream = query.stream === undefined || booleanQuery(query.stream);
    const oneShot = booleanQuery(query['one-shot']);
    if (stream && oneShot) throw invalidParameter('cannot have stream=true and one-shot=true');
    const container = deps.containers.get(req.params.id);
    let preread = ZERO_TIME;
    let precpu: CpuStats = emptyCpuStats();
    const next = async () => {
      const sample = await sampleContainer(deps.connection, container);
      const stats = {
        ...sample,
        preread,
        precpu_stats: precpu,
        name: container.record.Name,
        id: container.id,
      };
      preread = sample.read;
      precpu = sample.cpu_stats;
      return stats;
    };
    const first = await next();
    const raw = openStream(reply, deps.engineVersion, 'application/json');
    if (!stream) {
      if (oneShot || first.read === ZERO_TIME) return raw.end(`${JSON.stringify(first)}\n`);
      await sleep(STATS_INTERVAL_MS);
      return raw.end(`${JSON.stringify(await next())}\n`);
    }
    raw.write(`${JSON.stringify(first)}\n`);
    let closed = false;
    raw.on('close', () => (closed = true));
    while (!closed) {
      await sleep(STATS_INTERVAL_MS);
      if (closed) break;
      const stats = await next().catch(() => undefined);
      if (!stats) break;
      raw.write(`${JSON.stringify(stats)}\n`);
    }
    raw.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
