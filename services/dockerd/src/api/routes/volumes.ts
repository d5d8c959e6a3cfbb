// /volumes: create, list, inspect, remove, prune (Docker's local driver).
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../events/bus';
import { diskUsage } from '../../system/disk-usage';
import { isAnonymous, type CreateVolume, type Volume, type VolumeStore } from '../../volumes/store';
import { volumeView } from '../../volumes/views';
import { invalidParameter } from '../errors';
import {
  booleanQuery,
  excludedByLabels,
  matchesLabels,
  parseFilters,
  type Filters,
} from '../filters';
import { compareVersions } from '../versions';

type Query = Record<string, string | undefined>;
type Params = { name: string };

export interface VolumeRouteDeps {
  volumes: VolumeStore;
  events: EventBus;
}

function booleanFilter(filters: Filters, key: string): boolean | undefined {
  const value = filters.get(key)?.[0];
  if (value === undefined) return undefined;
  if (!['true', 'false', '1', '0'].includes(value))
    throw invalidParameter(`invalid filter '${key}=${value}'`);
  return value === 'true' || value === '1';
}

/** filters.Match: the value itself, or a regular expression found in it (a bad one matches nothing). */
function matchesPattern(pattern: string, value: string): boolean {
  try {
    return pattern === value || new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}

export function volumeRoutes(app: FastifyInstance, deps: VolumeRouteDeps) {
  const { volumes } = deps;
  const view = (volume: Volume) => volumeView(volume, volumes.dataPath(volume.Name));

  app.post('/volumes/create', async (req, reply) => {
    const volume = volumes.create((req.body ?? {}) as CreateVolume);
    return reply.status(201).send(view(volume));
  });

  app.get('/volumes', async (req) => {
    const filters = parseFilters((req.query as Query).filters, [
      'name',
      'driver',
      'label',
      'dangling',
    ]);
    const dangling = booleanFilter(filters, 'dangling');
    const selected = volumes.list().filter((volume) => {
      const names = filters.get('name');
      if (names && !names.some((n) => matchesPattern(n, volume.Name))) return false;
      const drivers = filters.get('driver');
      if (drivers && !drivers.some((d) => matchesPattern(d, volume.Driver))) return false;
      if (dangling !== undefined && dangling !== (volumes.users(volume.Name).length === 0))
        return false;
      return matchesLabels(filters, volume.Labels);
    });
    return { Volumes: selected.map(view), Warnings: null };
  });

  app.get<{ Params: Params }>('/volumes/:name', async (req) => view(volumes.get(req.params.name)));

  app.delete<{ Params: Params }>('/volumes/:name', async (req, reply) => {
    await volumes.remove(req.params.name, { force: booleanQuery((req.query as Query).force) });
    return reply.status(204).send();
  });

  app.post('/volumes/prune', async (req) => {
    const filters = parseFilters((req.query as Query).filters, ['label', 'label!', 'all']);
    // Since API 1.42 prune leaves named volumes alone unless all=true.
    const all =
      compareVersions(req.apiVersion, '1.42') < 0 || booleanFilter(filters, 'all') === true;
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const volume of volumes.list()) {
      if (!all && !isAnonymous(volume)) continue;
      if (!matchesLabels(filters, volume.Labels) || excludedByLabels(filters, volume.Labels))
        continue;
      if (volumes.users(volume.Name).length > 0) continue;
      const size = diskUsage(volumes.dataPath(volume.Name));
      await volumes.remove(volume.Name);
      deleted.push(volume.Name);
      reclaimed += size;
    }
    deps.events.publish({
      Type: 'volume',
      Action: 'prune',
      Actor: { ID: '', Attributes: { reclaimed: String(reclaimed) } },
    });
    return { VolumesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
  });
}
