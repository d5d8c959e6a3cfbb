// What dockerd calls: networks (create, inspect, remove, prune) and per container a sandbox
// (its network namespace) with endpoints on networks (connect, disconnect). State lives in
// JSON documents under the root; IPAM leases in host-local's data dir under it; namespaces
// are files in netnsDir. Every mutation runs under one mutex, since they share that state.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { context, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import { createLogger } from '@berth/telemetry';
import type { Logger } from 'pino';
import {
  addNetworkList,
  checkNetworkList,
  CniError,
  delNetworkList,
  type CniResult,
  type ExecOptions,
} from './cni';
import { bridgeConflist } from './conflists';
import { addressOf, nextIfName, portMappingsArg } from './endpoint';
import { EmbeddedDns } from './dns/embedded';
import { resolveName } from './dns/names';
import { conflict, forbidden, invalidParameter, NetworkError, notFound } from './errors';
import { filterHostResolvConf, readHostFile, renderEmbeddedResolvConf, renderHosts } from './files';
import { toResource, type NetworkResource } from './inspect';
import { contains, parseCidr, parseIPv4 } from './ip';
import { deleteLink } from './links';
import { Mutex } from './lock';
import { NetnsDir } from './netns/netns';
import { allocatePorts, validatePorts } from './ports';
import { reconcileState, type ReconcileReport } from './reconcile';
import { JsonDir } from './store/json-dir';
import {
  ownsNetns,
  type EndpointRecord,
  type NetworkRecord,
  type PortBinding,
  type SandboxRecord,
} from './store/records';
import { BRIDGE_NAME_OPTION, predefinedNetworks, type DefaultBridge } from './predefined';
import { planFromPool, planFromUser, type SubnetPool } from './subnets';

export interface NetworkManagerOptions {
  /** State root, e.g. /var/lib/berth/dockerd/network. */
  root: string;
  /** Where namespaces are pinned; default /run/berth/netns. */
  netnsDir?: string;
  /** CNI plugin directories; default Debian's /usr/lib/cni, then /opt/cni/bin. */
  cniPath?: string[];
  /** The default `bridge` network; default berth0, 198.18.0.0/24, gateway .1. */
  defaultBridge?: DefaultBridge;
  /** Where user networks without --subnet get theirs; default /24s of 198.18.0.0/15. */
  subnetPool?: SubnetPool;
  /** Port of the embedded DNS servers on each user network's gateway; default 53. */
  dnsPort?: number;
  pluginTimeoutMs?: number;
  logger?: Logger;
}

export interface CreateNetworkOptions {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
  /** Driver options; com.docker.network.bridge.name names the bridge. */
  options?: Record<string, string>;
}

export type SandboxSpec =
  | { mode?: 'private' | 'none' | 'host'; name?: string; hostname?: string }
  | { mode: 'container'; container: string; name?: string; hostname?: string };

export interface Sandbox {
  containerId: string;
  /** The namespace the runtime joins by path; null means the host's own. */
  netnsPath: string | null;
}

export interface ConnectOptions {
  aliases?: string[];
  /** Static IPv4 address (--ip); only on networks with a user-given subnet, as Docker. */
  ip?: string;
  ports?: PortBinding[];
  /** Extra CNI_ARGS. */
  args?: Record<string, string>;
}

export interface EndpointInfo {
  networkId: string;
  networkName: string;
  endpointId: string;
  ifName: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  aliases: string[];
  ports: PortBinding[];
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const BRIDGE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;
const tracer = trace.getTracer('berth-network');

export class NetworkManager {
  private readonly networks = new Map<string, NetworkRecord>();
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly mutex = new Mutex();
  private readonly networkStore: JsonDir<NetworkRecord>;
  private readonly sandboxStore: JsonDir<SandboxRecord>;
  private readonly netns: NetnsDir;
  private readonly ipamDir: string;
  private readonly cni: ExecOptions;
  private readonly log: Logger;
  private readonly dns: EmbeddedDns;

  private constructor(private readonly opts: NetworkManagerOptions) {
    this.networkStore = new JsonDir(join(opts.root, 'networks'));
    this.sandboxStore = new JsonDir(join(opts.root, 'sandboxes'));
    this.ipamDir = join(opts.root, 'ipam');
    this.netns = new NetnsDir(opts.netnsDir ?? '/run/berth/netns');
    this.cni = {
      path: opts.cniPath ?? ['/usr/lib/cni', '/opt/cni/bin'],
      ...(opts.pluginTimeoutMs ? { timeoutMs: opts.pluginTimeoutMs } : {}),
    };
    this.log = opts.logger ?? createLogger('network');
    this.dns = new EmbeddedDns(opts.dnsPort ?? 53, this.log, (networkId, name, source) =>
      resolveName(
        { networks: this.networks, sandboxes: this.sandboxes.values() },
        networkId,
        name,
        source,
      ),
    );
  }

  /** Loads the state and makes sure the predefined networks (bridge, host, none) exist. */
  static async open(opts: NetworkManagerOptions): Promise<NetworkManager> {
    const m = new NetworkManager(opts);
    for (const net of await m.networkStore.list()) m.networks.set(net.id, net);
    for (const sb of await m.sandboxStore.list()) m.sandboxes.set(sb.containerId, sb);
    await m.ensurePredefined();
    return m;
  }

  // ---- networks ----------------------------------------------------------------------

  create(req: CreateNetworkOptions): Promise<NetworkResource> {
    return this.traced('network.create', { 'network.name': req.name }, undefined, () =>
      this.mutex.run(async () => {
        const driver = req.driver ?? 'bridge';
        if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
        if (!NAME.test(req.name))
          throw invalidParameter(`invalid network name "${req.name}": must match ${NAME.source}`);
        if (this.byName(req.name)) throw conflict(`network with name ${req.name} already exists`);
        const id = randomBytes(32).toString('hex');
        const bridge = req.options?.[BRIDGE_NAME_OPTION] ?? `br-${id.slice(0, 12)}`;
        if (!BRIDGE_NAME.test(bridge)) throw invalidParameter(`invalid bridge name: ${bridge}`);
        if ([...this.networks.values()].some((n) => n.bridge === bridge))
          throw conflict(`bridge ${bridge} is already used by another network`);
        if (!req.subnet && (req.gateway || req.ipRange))
          throw invalidParameter('gateway and ip-range require a subnet');
        const inUse = this.subnetsInUse();
        const plan = req.subnet
          ? planFromUser({ subnet: req.subnet, gateway: req.gateway, ipRange: req.ipRange }, inUse)
          : planFromPool(this.opts.subnetPool ?? { base: '198.18.0.0/15', size: 24 }, inUse);
        const net: NetworkRecord = {
          id,
          name: req.name,
          driver: 'bridge',
          created: new Date().toISOString(),
          predefined: false,
          bridge,
          ...plan,
          userSubnet: !!req.subnet,
          dns: true,
          internal: !!req.internal,
          attachable: !!req.attachable,
          labels: req.labels ?? {},
          options: { ...req.options, [BRIDGE_NAME_OPTION]: bridge },
        };
        await this.networkStore.put(id, net);
        this.networks.set(id, net);
        this.log.info({ network: id, name: net.name, subnet: net.subnet }, 'network created');
        return this.resource(net);
      }),
    );
  }

  async inspect(idOrName: string): Promise<NetworkResource> {
    return this.resource(this.findNetwork(idOrName));
  }

  async list(): Promise<NetworkResource[]> {
    return [...this.networks.values()].map((n) => this.resource(n));
  }

  remove(idOrName: string): Promise<void> {
    return this.traced('network.remove', { 'network.ref': idOrName }, undefined, () =>
      this.mutex.run(() => this.removeNetwork(this.findNetwork(idOrName))),
    );
  }

  /** Removes every user network without endpoints; returns their names. */
  prune(): Promise<string[]> {
    return this.traced('network.prune', {}, undefined, () =>
      this.mutex.run(async () => {
        const removed: string[] = [];
        for (const net of [...this.networks.values()]) {
          if (net.predefined || this.endpointsOn(net.id).length) continue;
          await this.removeNetwork(net);
          removed.push(net.name);
        }
        return removed;
      }),
    );
  }

  // ---- sandboxes and endpoints ---------------------------------------------------------

  /** Prepares the container's network namespace before the runtime starts it. `parent` (here
   * and below) is the trace the work belongs to, for callers that hand contexts down. */
  createSandbox(containerId: string, spec: SandboxSpec = {}, parent?: Context): Promise<Sandbox> {
    return this.traced('network.sandbox.create', { 'container.id': containerId }, parent, () =>
      this.mutex.run(async () => {
        if (!CONTAINER_ID.test(containerId))
          throw invalidParameter(`invalid container id: ${containerId}`);
        if (this.sandboxes.has(containerId))
          throw conflict(`sandbox for container ${containerId} already exists`);
        const mode = spec.mode ?? 'private';
        const record: SandboxRecord = {
          containerId,
          mode,
          netnsPath: null,
          endpoints: [],
          ...(spec.name ? { name: spec.name.replace(/^\//, '') } : {}),
          ...(spec.hostname ? { hostname: spec.hostname } : {}),
        };
        if (spec.mode === 'container') {
          const other = this.sandboxes.get(spec.container);
          if (!other) throw notFound(`No such container: ${spec.container}`);
          record.netnsPath = other.netnsPath;
          record.sharedWith = other.sharedWith ?? other.containerId;
        } else if (mode !== 'host') {
          record.netnsPath = await this.netns.create(containerId);
        }
        try {
          await this.sandboxStore.put(containerId, record);
        } catch (err) {
          if (ownsNetns(record)) await this.netns.remove(containerId);
          throw err;
        }
        this.sandboxes.set(containerId, record);
        return { containerId, netnsPath: record.netnsPath };
      }),
    );
  }

  sandbox(containerId: string): { sandbox: Sandbox; endpoints: EndpointInfo[] } | undefined {
    const sb = this.sandboxes.get(containerId);
    if (!sb) return undefined;
    return {
      sandbox: { containerId, netnsPath: sb.netnsPath },
      endpoints: sb.endpoints.map((e) => this.endpointInfo(e)),
    };
  }

  connect(
    containerId: string,
    network: string,
    opts: ConnectOptions = {},
    parent?: Context,
  ): Promise<EndpointInfo> {
    return this.traced(
      'network.connect',
      { 'container.id': containerId, 'network.ref': network },
      parent,
      () => this.mutex.run(() => this.connectLocked(containerId, network, opts)),
    );
  }

  disconnect(containerId: string, network: string): Promise<void> {
    return this.traced(
      'network.disconnect',
      { 'container.id': containerId, 'network.ref': network },
      undefined,
      () =>
        this.mutex.run(async () => {
          const sb = this.requireSandbox(containerId);
          const net = this.findNetwork(network);
          const ep = sb.endpoints.find((e) => e.networkId === net.id);
          if (!ep)
            throw forbidden(`container ${containerId} is not connected to network ${net.name}`);
          await this.delEndpoint(sb, ep);
          await this.saveSandbox({ ...sb, endpoints: sb.endpoints.filter((e) => e !== ep) });
        }),
    );
  }

  /** Releases every endpoint and the namespace. Missing state is not an error. */
  removeSandbox(containerId: string, parent?: Context): Promise<void> {
    return this.traced('network.sandbox.remove', { 'container.id': containerId }, parent, () =>
      this.mutex.run(async () => {
        const sb = this.sandboxes.get(containerId);
        let firstError: unknown;
        for (const ep of sb?.endpoints ?? []) {
          await this.delEndpoint(sb!, ep).catch((err: unknown) => (firstError ??= err));
        }
        if (firstError) throw firstError;
        if (!sb || ownsNetns(sb)) await this.netns.remove(containerId);
        await this.sandboxStore.delete(containerId);
        this.sandboxes.delete(containerId);
      }),
    );
  }

  /** CNI CHECK of every endpoint: throws when an interface, address or rule has gone. */
  check(containerId: string): Promise<void> {
    return this.traced('network.check', { 'container.id': containerId }, undefined, () =>
      this.mutex.run(async () => {
        const sb = this.requireSandbox(containerId);
        for (const ep of sb.endpoints) {
          await checkNetworkList(ep.conflist, this.runtimeOf(sb, ep), ep.result, this.cni);
        }
      }),
    );
  }

  /**
   * After a crash or restart: releases whatever no live container owns (endpoints, IPAM
   * leases, masquerade and port rules, namespace files), and serves DNS again for networks
   * whose containers are still running.
   */
  reconcile(liveContainerIds: Iterable<string>): Promise<ReconcileReport> {
    return this.traced('network.reconcile', {}, undefined, () =>
      this.mutex.run(async () => {
        const live = new Set(liveContainerIds);
        const report = await reconcileState({
          live,
          networks: this.networks,
          sandboxes: this.sandboxes,
          netns: this.netns,
          ipamDir: this.ipamDir,
          cni: this.cni,
          conflistFor: (net, defaultRoute) => bridgeConflist(net, this.ipamDir, { defaultRoute }),
          deleteEndpoint: (sb, ep) => this.delEndpoint(sb, ep),
          forgetSandbox: async (id) => {
            await this.sandboxStore.delete(id);
            this.sandboxes.delete(id);
          },
          log: this.log,
        });
        for (const net of this.networks.values()) {
          if (net.dns && this.endpointsOn(net.id).length) await this.dns.serve(net);
        }
        return report;
      }),
    );
  }

  async resolvConf(containerId: string): Promise<string> {
    const sb = this.resolveShared(this.requireSandbox(containerId));
    const host = await readHostFile('/etc/resolv.conf');
    if (sb.mode === 'host') return host;
    const dnsNet = sb.endpoints
      .map((e) => this.networks.get(e.networkId))
      .find((n) => n?.dns && n.gateway);
    if (dnsNet?.gateway) return renderEmbeddedResolvConf(dnsNet.gateway, host);
    return filterHostResolvConf(host);
  }

  async hostsFile(containerId: string): Promise<string> {
    const own = this.requireSandbox(containerId);
    const sb = this.resolveShared(own);
    if (sb.mode === 'host') return readHostFile('/etc/hosts');
    const names = [own.hostname ?? containerId.slice(0, 12)];
    return renderHosts(sb.endpoints.slice(0, 1).map((e) => ({ ip: e.ipAddress, names })));
  }

  /** Stops the DNS servers; namespaces and endpoints stay for the next start. */
  async close(): Promise<void> {
    await this.mutex.run(async () => {
      await this.dns.closeAll();
    });
  }

  // ---- internals -----------------------------------------------------------------------

  private async connectLocked(
    containerId: string,
    network: string,
    opts: ConnectOptions,
  ): Promise<EndpointInfo> {
    const sb = this.requireSandbox(containerId);
    const net = this.findNetwork(network);
    if (net.driver !== 'bridge')
      throw invalidParameter(
        'container cannot be disconnected from host network or connected to host network',
      );
    if (sb.mode === 'host' || sb.mode === 'container')
      throw invalidParameter(
        'container sharing network namespace with another container or host cannot be connected to any other network',
      );
    if (sb.mode === 'none')
      throw invalidParameter(
        'container cannot be connected to multiple networks with one of the networks in private (none) mode',
      );
    if (sb.endpoints.some((e) => e.networkId === net.id))
      throw forbidden(
        `endpoint with name ${sb.name ?? containerId} already exists in network ${net.name}`,
      );
    const aliases = opts.aliases ?? [];
    if (aliases.length && !net.dns)
      throw invalidParameter(
        'network-scoped alias is supported only for containers in user defined networks',
      );
    const capabilityArgs: Record<string, unknown> = {};
    if (opts.ip) capabilityArgs.ips = [this.staticAddress(net, opts.ip)];
    const ports = opts.ports ?? [];
    validatePorts(ports);
    const published = await allocatePorts(ports, this.allPorts());
    if (published.length) capabilityArgs.portMappings = portMappingsArg(published);
    const ifName = nextIfName(sb);
    const conflist = bridgeConflist(net, this.ipamDir, {
      defaultRoute: sb.endpoints.length === 0,
      staticIP: !!opts.ip,
    });
    const partial = { conflist, capabilityArgs, ifName, ...(opts.args ? { args: opts.args } : {}) };
    const rt = this.runtimeOf(sb, partial);
    let result: CniResult;
    try {
      result = await addNetworkList(conflist, rt, this.cni);
    } catch (err) {
      // The spec leaves cleanup of a half-done ADD to the runtime: DEL what was added.
      await delNetworkList(conflist, rt, undefined, this.cni).catch(() => {});
      throw asNetworkError(err);
    }
    const ep: EndpointRecord = {
      endpointId: randomBytes(32).toString('hex'),
      networkId: net.id,
      aliases,
      ports: published,
      result,
      ...partial,
      ...addressOf(result, rt.netns),
    };
    try {
      await this.saveSandbox({ ...sb, endpoints: [...sb.endpoints, ep] });
    } catch (err) {
      await delNetworkList(conflist, rt, result, this.cni).catch(() => {});
      throw err;
    }
    if (net.dns) await this.dns.serve(net);
    this.log.info({ container: containerId, network: net.id, ip: ep.ipAddress }, 'connected');
    return this.endpointInfo(ep);
  }

  private staticAddress(net: NetworkRecord, ip: string): string {
    if (!net.userSubnet || !net.subnet)
      throw invalidParameter(
        'user specified IP address is supported only when connecting to networks with user configured subnets',
      );
    const subnet = parseCidr(net.subnet);
    if (!contains(subnet, parseIPv4(ip)))
      throw invalidParameter(
        `Invalid address ${ip}: It does not belong to any of this network's subnets`,
      );
    if (ip === net.gateway || this.endpointsOn(net.id).some((e) => e.ipAddress === ip))
      throw forbidden(`Address already in use: ${ip}`);
    return `${ip}/${subnet.prefix}`;
  }

  private async delEndpoint(sb: SandboxRecord, ep: EndpointRecord): Promise<void> {
    try {
      await delNetworkList(ep.conflist, this.runtimeOf(sb, ep), ep.result, this.cni);
    } catch (err) {
      throw asNetworkError(err);
    }
  }

  private runtimeOf(
    sb: SandboxRecord,
    ep: Pick<EndpointRecord, 'ifName' | 'capabilityArgs' | 'args'>,
  ) {
    return {
      containerId: sb.containerId,
      netns: sb.netnsPath ?? '',
      ifName: ep.ifName,
      capabilityArgs: ep.capabilityArgs,
      ...(ep.args ? { args: ep.args } : {}),
    };
  }

  private async removeNetwork(net: NetworkRecord): Promise<void> {
    if (net.predefined)
      throw forbidden(`${net.name} is a pre-defined network and cannot be removed`);
    if (this.endpointsOn(net.id).length)
      throw forbidden(
        `error while removing network: network ${net.name} id ${net.id} has active endpoints`,
      );
    await this.dns.stop(net.id);
    if (net.bridge) await deleteLink(net.bridge);
    await rm(join(this.ipamDir, net.id), { recursive: true, force: true });
    await this.networkStore.delete(net.id);
    this.networks.delete(net.id);
    this.log.info({ network: net.id, name: net.name }, 'network removed');
  }

  private async ensurePredefined(): Promise<void> {
    for (const want of predefinedNetworks(this.opts.defaultBridge)) {
      if (this.byName(want.name)) continue;
      const net: NetworkRecord = {
        ...want,
        id: randomBytes(32).toString('hex'),
        created: new Date().toISOString(),
      };
      await this.networkStore.put(net.id, net);
      this.networks.set(net.id, net);
    }
  }

  private findNetwork(ref: string): NetworkRecord {
    const exact = this.networks.get(ref) ?? this.byName(ref);
    if (exact) return exact;
    const byPrefix = ref ? [...this.networks.values()].filter((n) => n.id.startsWith(ref)) : [];
    if (byPrefix.length === 1) return byPrefix[0]!;
    if (byPrefix.length > 1)
      throw invalidParameter(
        `network ${ref} is ambiguous (${byPrefix.length} matches found based on ID prefix)`,
      );
    throw notFound(`network ${ref} not found`);
  }

  private byName(name: string): NetworkRecord | undefined {
    return [...this.networks.values()].find((n) => n.name === name);
  }

  private requireSandbox(containerId: string): SandboxRecord {
    const sb = this.sandboxes.get(containerId);
    if (!sb) throw notFound(`No such container: ${containerId}`);
    return sb;
  }

  /** A container sharing another's namespace sees that container's endpoints. */
  private resolveShared(sb: SandboxRecord): SandboxRecord {
    return (sb.sharedWith && this.sandboxes.get(sb.sharedWith)) || sb;
  }

  private async saveSandbox(sb: SandboxRecord): Promise<void> {
    await this.sandboxStore.put(sb.containerId, sb);
    this.sandboxes.set(sb.containerId, sb);
  }

  private endpointsOn(networkId: string): EndpointRecord[] {
    return [...this.sandboxes.values()].flatMap((s) =>
      s.endpoints.filter((e) => e.networkId === networkId),
    );
  }

  private allPorts(): PortBinding[] {
    return [...this.sandboxes.values()].flatMap((s) => s.endpoints.flatMap((e) => e.ports));
  }

  private subnetsInUse() {
    return [...this.networks.values()].flatMap((n) => (n.subnet ? [parseCidr(n.subnet)] : []));
  }

  private resource(net: NetworkRecord): NetworkResource {
    return toResource(net, this.sandboxes.values());
  }

  private endpointInfo(ep: EndpointRecord): EndpointInfo {
    return {
      networkId: ep.networkId,
      networkName: this.networks.get(ep.networkId)?.name ?? ep.networkId,
      endpointId: ep.endpointId,
      ifName: ep.ifName,
      ipAddress: ep.ipAddress,
      prefixLen: ep.prefixLen,
      gateway: ep.gateway,
      macAddress: ep.macAddress,
      aliases: ep.aliases,
      ports: ep.ports,
    };
  }

  private traced<T>(
    name: string,
    attributes: Attributes,
    parent: Context | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    return tracer.startActiveSpan(
      name,
      { attributes },
      parent ?? context.active(),
      async (span) => {
        try {
          return await fn();
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      },
    );
  }
}

function asNetworkError(err: unknown): Error {
  if (err instanceof CniError) return new NetworkError(500, err.message);
  return err as Error;
}
