// Containers on networks, as Docker wires them: the network mode is checked at create and
// decides the namespace the spec names; the sandbox (namespace, endpoints, published ports,
// hosts and resolv.conf) is made before the task is created and released when the task exits
// or the container is removed; connect/disconnect act at once on a running container and on
// the next start of a stopped one.
//
// The namespace path is decided at create time and never changes: <netnsDir>/<container id>
// (or that of the container whose namespace is shared). The spec stored in containerd at
// create then stays valid for every start, without a Containers.Update before each one; the
// library pins a fresh namespace at that path on each start and unpins it at exit.
import type { Context } from '@opentelemetry/api';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NetworkManager, NetworkResource, PortBinding, SandboxSpec } from '@berth/network';
import type { Logger } from 'pino';
import { conflict, forbidden, invalidParameter } from '../api/errors';
import type { EventBus } from '../events/bus';
import type { ContainerRecord, CreateConfig, HostConfig } from '../containers/record';
import { withDnsOverrides, withExtraHosts } from './etc-files';
import { portMap, requestedPorts } from './ports';
import {
  clearedSettings,
  isLive,
  liveEndpoint,
  requestedEndpoint,
  type EndpointConfig,
  type EndpointSettings,
  type NetworkSettings,
} from './settings';

/** The container a `container:<ref>` mode names, as the container manager finds it. */
export interface PeerLookup {
  (ref: string): { record: ContainerRecord; running: boolean };
}

export interface NetworkPlan {
  /** HostConfig.NetworkMode as stored: container:<ref> becomes container:<full id>. */
  mode: string;
  settings: NetworkSettings;
  /** The namespace the spec joins; null: the host's. */
  netnsPath: string | null;
  /** The container whose namespace, hostname, hosts and resolv.conf are shared. */
  sharedWith?: ContainerRecord;
}

export interface ContainerNetworkingDeps {
  manager: NetworkManager;
  netnsDir: string;
  /** A container's directory, where its hosts and resolv.conf files are. */
  containerDir(id: string): string;
  saveRecord(record: ContainerRecord): void;
  events?: EventBus;
  logger: Logger;
}

type ContainerRef = { record: ContainerRecord; running: boolean };

const CONTAINER_MODE = 'container:';
const isDefault = (mode: string) => mode === 'default' || mode === 'bridge';

export class ContainerNetworking {
  private closed = false;

  constructor(private readonly deps: ContainerNetworkingDeps) {}

  get manager(): NetworkManager {
    return this.deps.manager;
  }

  /** Checks the network mode and endpoint configs of a create request, as Docker does. */
  async plan(
    id: string,
    config: CreateConfig,
    host: HostConfig,
    endpoints: Record<string, EndpointConfig>,
    lookup: PeerLookup,
  ): Promise<NetworkPlan> {
    const mode = host.NetworkMode || 'default';
    // Bad port specs fail the create, not a later start.
    requestedPorts(host.PortBindings, config.ExposedPorts, !!host.PublishAllPorts);
    if (mode.startsWith(CONTAINER_MODE)) {
      const conflicting = (what: string) =>
        invalidParameter(`conflicting options: ${what} and the network mode`);
      if (config.Hostname) throw conflicting('hostname');
      if (host.Dns?.length || host.DnsSearch?.length || host.DnsOptions?.length)
        throw conflicting('dns');
      if (host.ExtraHosts?.length) throw conflicting('custom host-to-IP mapping');
      if (Object.keys(host.PortBindings ?? {}).length || host.PublishAllPorts)
        throw invalidParameter(
          'conflicting options: port publishing and the container type network mode',
        );
      const peer = lookup(mode.slice(CONTAINER_MODE.length)).record;
      if (peer.Id === id) throw invalidParameter('cannot join own network namespace');
      return {
        mode: `${CONTAINER_MODE}${peer.Id}`,
        settings: emptySettings(),
        netnsPath: this.namespaceOf(id, mode, lookup),
        sharedWith: peer,
      };
    }
    const primary = await this.manager.inspect(isDefault(mode) ? 'bridge' : mode);
    const networks: Record<string, EndpointSettings> = {
      [primary.Name]: requestedEndpoint(primary.Id, endpoints[mode] ?? endpoints[primary.Name]),
    };
    if (primary.Driver === 'bridge') {
      for (const [ref, cfg] of Object.entries(endpoints)) {
        if (ref === mode) continue;
        const other = await this.manager.inspect(ref);
        if (other.Driver !== 'bridge')
          throw invalidParameter(
            'Container cannot be connected to network endpoints: host and none networks are exclusive',
          );
        networks[other.Name] ??= requestedEndpoint(other.Id, cfg);
      }
    }
    return {
      mode,
      settings: { ...emptySettings(), Networks: networks },
      netnsPath: this.namespaceOf(id, mode, lookup),
    };
  }

  /** Before the task is created: the namespace, its endpoints, hosts and resolv.conf. `trace`
   * (here and in release) is the start's trace context. */
  async prepare(record: ContainerRecord, lookup: PeerLookup, trace?: Context): Promise<void> {
    const id = record.Id;
    const mode = record.HostConfig.NetworkMode || 'default';
    // What an earlier run of this daemon left is released first (a crash's leftovers went at
    // start-up, with reconcile).
    if (this.manager.sandbox(id)) await this.manager.removeSandbox(id, trace);
    const settings = record.NetworkSettings ?? emptySettings();
    const base = { name: record.Name, hostname: record.Config.Hostname ?? '' };
    let spec: SandboxSpec;
    if (mode.startsWith(CONTAINER_MODE)) {
      const peer = lookup(mode.slice(CONTAINER_MODE.length));
      if (!peer.running || !this.manager.sandbox(peer.record.Id))
        throw conflict(`cannot join network of a non running container: ${peer.record.Id}`);
      spec = { ...base, mode: 'container', container: peer.record.Id };
    } else {
      const driver = (await this.manager.inspect(isDefault(mode) ? 'bridge' : mode)).Driver;
      spec = { ...base, mode: driver === 'host' ? 'host' : driver === 'null' ? 'none' : 'private' };
    }
    const sandbox = await this.manager.createSandbox(id, spec, trace);
    try {
      const expected = this.namespaceOf(id, mode, lookup);
      if (sandbox.netnsPath !== expected)
        throw new Error(`network namespace at ${sandbox.netnsPath}, the spec joins ${expected}`);
      const networks: Record<string, EndpointSettings> = {};
      let published: PortBinding[] = [];
      for (const [name, requested] of Object.entries(settings.Networks)) {
        if (spec.mode !== 'private') {
          networks[name] = requested;
          continue;
        }
        const first = Object.keys(networks).length === 0;
        const info = await this.manager.connect(
          id,
          name,
          {
            aliases: requested.Aliases ?? [],
            ...(requested.IPAMConfig?.IPv4Address ? { ip: requested.IPAMConfig.IPv4Address } : {}),
            ports: first
              ? requestedPorts(
                  record.HostConfig.PortBindings,
                  record.Config.ExposedPorts,
                  !!record.HostConfig.PublishAllPorts,
                )
              : [],
          },
          trace,
        );
        if (first) published = info.ports;
        networks[name] = liveEndpoint(requested, info, this.dnsNames(record, name, info.aliases));
        this.publish('connect', info.networkId, name, id);
      }
      record.NetworkSettings = {
        SandboxID: id,
        SandboxKey: sandbox.netnsPath ?? '',
        Ports: portMap(record.Config.ExposedPorts, published),
        Networks: networks,
      };
      if (spec.mode !== 'container') await this.writeEtcFiles(record);
    } catch (err) {
      await this.manager.removeSandbox(id, trace).catch(() => undefined);
      record.NetworkSettings = clearedSettings(settings);
      throw err;
    }
  }

  /** At exit and removal: endpoints, ports, leases and the namespace go; the requests stay. */
  async release(record: ContainerRecord, trace?: Context): Promise<void> {
    if (this.closed) return;
    const live = this.manager.sandbox(record.Id);
    if (live) await this.manager.removeSandbox(record.Id, trace);
    for (const ep of live?.endpoints ?? [])
      this.publish('disconnect', ep.networkId, ep.networkName, record.Id);
    if (record.NetworkSettings) record.NetworkSettings = clearedSettings(record.NetworkSettings);
  }

  async connect(container: ContainerRef, network: string, config: EndpointConfig): Promise<void> {
    const { record } = container;
    const net = await this.manager.inspect(network);
    this.checkConnectable(record, net);
    const settings = record.NetworkSettings ?? emptySettings();
    if (settings.Networks[net.Name])
      throw forbidden(
        `endpoint with name ${record.Name.slice(1)} already exists in network ${net.Name}`,
      );
    const requested = requestedEndpoint(net.Id, config);
    let endpoint = requested;
    if (container.running && this.manager.sandbox(record.Id)) {
      const info = await this.manager.connect(record.Id, net.Id, {
        aliases: requested.Aliases ?? [],
        ...(requested.IPAMConfig?.IPv4Address ? { ip: requested.IPAMConfig.IPv4Address } : {}),
      });
      endpoint = liveEndpoint(requested, info, this.dnsNames(record, net.Name, info.aliases));
    }
    record.NetworkSettings = {
      ...settings,
      Networks: { ...settings.Networks, [net.Name]: endpoint },
    };
    this.deps.saveRecord(record);
    if (isLive(record.NetworkSettings)) await this.writeEtcFiles(record);
    this.publish('connect', net.Id, net.Name, record.Id);
  }

  async disconnect(container: ContainerRef, network: string, force: boolean): Promise<void> {
    const { record } = container;
    const net = await this.manager.inspect(network);
    const settings = record.NetworkSettings ?? emptySettings();
    const connected = this.manager
      .sandbox(record.Id)
      ?.endpoints.some((e) => e.networkId === net.Id);
    if (!settings.Networks[net.Name] && !connected) {
      if (force) return;
      throw forbidden(`container ${record.Id} is not connected to network ${net.Name}`);
    }
    if (net.Driver !== 'bridge')
      throw invalidParameter(
        `container cannot be disconnected from ${net.Driver === 'host' ? 'host' : 'none'} network`,
      );
    if (connected) await this.manager.disconnect(record.Id, net.Id);
    const networks = { ...settings.Networks };
    delete networks[net.Name];
    record.NetworkSettings = { ...settings, Networks: networks };
    this.deps.saveRecord(record);
    if (isLive(record.NetworkSettings)) await this.writeEtcFiles(record);
    this.publish('disconnect', net.Id, net.Name, record.Id);
  }

  /**
   * After a restart: the library releases what no running container owns, and stopped
   * containers stop showing the addresses they had when dockerd went away.
   */
  async reconcile(containers: ContainerRef[]): Promise<void> {
    const report = await this.manager.reconcile(
      containers.filter((c) => c.running).map((c) => c.record.Id),
    );
    for (const { record, running } of containers) {
      if (running || !isLive(record.NetworkSettings)) continue;
      record.NetworkSettings = clearedSettings(record.NetworkSettings!);
      this.deps.saveRecord(record);
    }
    if (report.sandboxesRemoved.length || report.netnsRemoved.length || report.leasesReleased)
      this.deps.logger.info({ ...report }, 'network state reconciled');
  }

  /** Network events, as Docker publishes them. */
  publish(action: string, networkId: string, name: string, containerId?: string): void {
    this.deps.events?.publish({
      Type: 'network',
      Action: action,
      Actor: {
        ID: networkId,
        Attributes: { name, type: 'bridge', ...(containerId ? { container: containerId } : {}) },
      },
    });
  }

  /** Stops serving DNS; what containers use stays for the next daemon to re-adopt. */
  async close(): Promise<void> {
    this.closed = true;
    await this.manager.close();
  }

  /** The namespace the spec names, fixed at create: its own, its peer's, or the host's. */
  private namespaceOf(id: string, mode: string, lookup: PeerLookup): string | null {
    if (mode.startsWith(CONTAINER_MODE)) {
      const peer = lookup(mode.slice(CONTAINER_MODE.length)).record;
      return this.namespaceOf(peer.Id, peer.HostConfig.NetworkMode || 'default', lookup);
    }
    return mode === 'host' ? null : join(this.deps.netnsDir, id);
  }

  private checkConnectable(record: ContainerRecord, net: NetworkResource): void {
    const mode = record.HostConfig.NetworkMode || 'default';
    if (net.Driver === 'host' || mode === 'host' || mode.startsWith(CONTAINER_MODE))
      throw invalidParameter(
        'container sharing network namespace with another container or host cannot be connected to any other network',
      );
    if (net.Driver !== 'bridge' || mode === 'none')
      throw invalidParameter(
        'container cannot be connected to multiple networks with one of the networks in private (none) mode',
      );
  }

  private dnsNames(record: ContainerRecord, network: string, aliases: string[]): string[] | null {
    if (network === 'bridge') return null;
    return [record.Name.slice(1), record.Id.slice(0, 12), ...aliases];
  }

  private async writeEtcFiles(record: ContainerRecord): Promise<void> {
    const dir = this.deps.containerDir(record.Id);
    const host = record.HostConfig;
    const endpoints = this.manager.sandbox(record.Id)?.endpoints ?? [];
    const hosts = withExtraHosts(
      await this.manager.hostsFile(record.Id),
      host.ExtraHosts,
      endpoints[0]?.gateway ?? '',
    );
    const embedded = endpoints.some((e) => e.networkName !== 'bridge');
    const resolvConf = withDnsOverrides(await this.manager.resolvConf(record.Id), host, embedded);
    await writeFile(join(dir, 'hosts'), hosts);
    await writeFile(join(dir, 'resolv.conf'), resolvConf);
  }
}

function emptySettings(): NetworkSettings {
  return { SandboxID: '', SandboxKey: '', Ports: {}, Networks: {} };
}
