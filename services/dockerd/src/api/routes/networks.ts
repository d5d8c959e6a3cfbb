// /networks: list (filters), inspect, create, remove, connect, disconnect, prune. Networks and
// their errors come from @berth/network in the Engine API's shape; containers join and leave
// through the container networking, which keeps their records in step.
import type { FastifyInstance } from 'fastify';
import type { NetworkResource } from '@berth/network';
import type { ContainerManager } from '../../containers/manager';
import type { ContainerNetworking } from '../../network/container-network';
import type { EndpointConfig } from '../../network/settings';
import { invalidParameter } from '../errors';
import { booleanQuery, matchesLabels, parseFilters, type Filters } from '../filters';

type Query = Record<string, string | undefined>;
type Params = { id: string };

export interface NetworkRouteDeps {
  containers: ContainerManager;
  networking: ContainerNetworking;
}

interface CreateBody {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean | null;
  IPAM?: { Driver?: string; Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] };
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

const LIST_FILTERS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'];
const PREDEFINED = new Set(['bridge', 'host', 'none']);

const isCustom = (n: NetworkResource) => !PREDEFINED.has(n.Name);

/** Docker's filters for GET /networks: name and id match as patterns, the rest exactly. */
export function matchesNetwork(filters: Filters, n: NetworkResource): boolean {
  const any = (key: string, test: (v: string) => boolean) =>
    !filters.has(key) || filters.get(key)!.some(test);
  const type = (v: string) => {
    if (v !== 'custom' && v !== 'builtin') throw invalidParameter(`invalid filter: 'type'='${v}'`);
    return (v === 'custom') === isCustom(n);
  };
  const dangling = (v: string) => booleanQuery(v) === (isCustom(n) && !hasContainers(n));
  return (
    any('name', (v) => n.Name.includes(v)) &&
    any('id', (v) => n.Id.startsWith(v)) &&
    any('driver', (v) => n.Driver === v) &&
    any('scope', (v) => n.Scope === v) &&
    any('type', type) &&
    any('dangling', dangling) &&
    matchesLabels(filters, n.Labels)
  );
}

const hasContainers = (n: NetworkResource) => Object.keys(n.Containers).length > 0;

export function networkRoutes(app: FastifyInstance, deps: NetworkRouteDeps) {
  const { networking, containers } = deps;
  const networks = networking.manager;

  app.get('/networks', async (req) => {
    const filters = parseFilters((req.query as Query).filters, LIST_FILTERS);
    return (await networks.list()).filter((n) => matchesNetwork(filters, n));
  });

  app.get<{ Params: Params }>('/networks/:id', async (req) => networks.inspect(req.params.id));

  app.post('/networks/create', async (req, reply) => {
    const body = (req.body ?? {}) as CreateBody;
    if (body.EnableIPv6) throw invalidParameter('berth networks are IPv4 only: EnableIPv6');
    const configs = (body.IPAM?.Config ?? []).filter((c) => !c.Subnet?.includes(':'));
    if (configs.length > 1)
      throw invalidParameter('berth bridge networks take one IPv4 IPAM config');
    const [ipam] = configs;
    const created = await networks.create({
      name: body.Name ?? '',
      ...(body.Driver ? { driver: body.Driver } : {}),
      ...(ipam?.Subnet ? { subnet: ipam.Subnet } : {}),
      ...(ipam?.Gateway ? { gateway: ipam.Gateway } : {}),
      ...(ipam?.IPRange ? { ipRange: ipam.IPRange } : {}),
      internal: !!body.Internal,
      attachable: !!body.Attachable,
      labels: body.Labels ?? {},
      options: body.Options ?? {},
    });
    networking.publish('create', created.Id, created.Name);
    return reply.status(201).send({ Id: created.Id, Warning: '' });
  });

  app.delete<{ Params: Params }>('/networks/:id', async (req, reply) => {
    const net = await networks.inspect(req.params.id);
    await networks.remove(net.Id);
    networking.publish('destroy', net.Id, net.Name);
    return reply.status(204).send();
  });

  app.post<{ Params: Params }>('/networks/:id/connect', async (req, reply) => {
    const body = (req.body ?? {}) as { Container?: string; EndpointConfig?: EndpointConfig };
    if (!body.Container) throw invalidParameter('no container specified');
    await networking.connect(
      containers.get(body.Container),
      req.params.id,
      body.EndpointConfig ?? {},
    );
    return reply.status(200).send();
  });

  app.post<{ Params: Params }>('/networks/:id/disconnect', async (req, reply) => {
    const body = (req.body ?? {}) as { Container?: string; Force?: boolean };
    if (!body.Container) throw invalidParameter('no container specified');
    await networking.disconnect(containers.get(body.Container), req.params.id, !!body.Force);
    return reply.status(200).send();
  });

  app.post('/networks/prune', async (req) => {
    const filters = parseFilters((req.query as Query).filters, ['label', 'until']);
    const until = filters.get('until')?.[0];
    const before = until === undefined ? Infinity : untilTime(until);
    const deleted: string[] = [];
    for (const n of await networks.list()) {
      if (!isCustom(n) || hasContainers(n) || Date.parse(n.Created) > before) continue;
      if (!matchesLabels(filters, n.Labels)) continue;
      // A container may have joined since the listing: that network stays.
      const removed = await networks.remove(n.Id).then(
        () => true,
        () => false,
      );
      if (!removed) continue;
      networking.publish('destroy', n.Id, n.Name);
      deleted.push(n.Name);
    }
    return { NetworksDeleted: deleted };
  });
}

/** The until filter: a Unix timestamp, an RFC 3339 date, or a duration before now (10m, 1h). */
function untilTime(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const duration = /^(\d+)(s|m|h)$/.exec(value);
  if (duration) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000 }[duration[2] as 's' | 'm' | 'h'];
    return Date.now() - Number(duration[1]) * unit;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw invalidParameter(`invalid until filter: ${value}`);
  return date;
}
