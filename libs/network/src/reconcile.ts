// Crash recovery: after dockerd restarts, everything no live container owns is released,
// through the plugins' own DEL where they can (IPAM leases, port and forward rules) and
// directly where they cannot (namespace files, masquerade chains of vanished namespaces).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CNI_VERSION, delNetworkList, type ExecOptions, type NetworkConfigList } from './cni';
import { deleteMasqRule, listCniNatRules } from './iptables';
import { readLeases, type Lease } from './leases';
import type { NetnsDir } from './netns/netns';
import {
  ownsNetns,
  type EndpointRecord,
  type NetworkRecord,
  type SandboxRecord,
} from './store/records';

export interface ReconcileReport {
  sandboxesRemoved: string[];
  netnsRemoved: string[];
  leasesReleased: number;
  rulesRemoved: number;
}

export interface ReconcileContext {
  live: Set<string>;
  networks: ReadonlyMap<string, NetworkRecord>;
  sandboxes: ReadonlyMap<string, SandboxRecord>;
  netns: NetnsDir;
  ipamDir: string;
  cni: ExecOptions;
  conflistFor(net: NetworkRecord, defaultRoute: boolean): NetworkConfigList;
  deleteEndpoint(sb: SandboxRecord, ep: EndpointRecord): Promise<void>;
  forgetSandbox(containerId: string): Promise<void>;
  log: Logger;
}

interface Orphan {
  network: string;
  containerId: string;
  leases: Lease[];
  portMappings: { protocol: string; hostPort: number; containerPort: number }[];
}

const pair = (network: string, containerId: string) => `${network}/${containerId}`;

export async function reconcileState(ctx: ReconcileContext): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    sandboxesRemoved: [],
    netnsRemoved: [],
    leasesReleased: 0,
    rulesRemoved: 0,
  };
  const warn = (what: string) => (err: unknown) => ctx.log.warn({ err }, `reconcile: ${what}`);

  // Sandboxes of containers that are gone: DEL with their recorded configuration and result.
  for (const sb of [...ctx.sandboxes.values()]) {
    if (ctx.live.has(sb.containerId)) continue;
    for (const ep of sb.endpoints) await ctx.deleteEndpoint(sb, ep).catch(warn('endpoint DEL'));
    if (ownsNetns(sb)) await ctx.netns.remove(sb.containerId);
    await ctx.forgetSandbox(sb.containerId);
    report.sandboxesRemoved.push(sb.containerId);
  }

  // Namespace files no recorded sandbox owns (a crash between creating and recording one).
  for (const name of await ctx.netns.list()) {
    if (ctx.sandboxes.has(name)) continue;
    await ctx.netns.remove(name).catch(warn(`netns ${name}`));
    report.netnsRemoved.push(name);
  }

  // Leases and NAT rules of (network, container) pairs no live endpoint owns.
  const owned = new Set<string>();
  for (const sb of ctx.sandboxes.values())
    for (const ep of sb.endpoints) owned.add(pair(ep.networkId, sb.containerId));
  const orphans = new Map<string, Orphan>();
  const orphan = (network: string, containerId: string) => {
    const key = pair(network, containerId);
    if (!orphans.has(key)) orphans.set(key, { network, containerId, leases: [], portMappings: [] });
    return orphans.get(key)!;
  };
  for (const lease of await readLeases(ctx.ipamDir)) {
    if (!owned.has(pair(lease.network, lease.containerId)))
      orphan(lease.network, lease.containerId).leases.push(lease);
  }
  for (const rule of await listCniNatRules()) {
    if (!ctx.networks.has(rule.network) || owned.has(pair(rule.network, rule.containerId)))
      continue;
    // portmap's DEL does nothing without portMappings, though it removes its chain by
    // container id: give it the host ports its rule forwards.
    orphan(rule.network, rule.containerId).portMappings.push(
      ...rule.hostPorts.map((p) => ({ ...p, containerPort: p.hostPort })),
    );
  }
  for (const o of orphans.values()) {
    const net = ctx.networks.get(o.network);
    if (!net) continue; // its whole IPAM directory goes below
    const netns = ctx.sandboxes.get(o.containerId)?.netnsPath ?? '';
    const conflist = ctx.conflistFor(net, false);
    const targets = o.leases.length ? o.leases : [undefined];
    for (const lease of targets) {
      const prefix = net.subnet?.split('/')[1] ?? '32';
      // The firewall plugin finds its rules by the addresses in prevResult.
      const prevResult = lease
        ? { cniVersion: CNI_VERSION, ips: [{ address: `${lease.ip}/${prefix}` }] }
        : undefined;
      const rt = {
        containerId: o.containerId,
        netns,
        ifName: lease?.ifName ?? 'eth0',
        capabilityArgs: o.portMappings.length ? { portMappings: o.portMappings } : {},
      };
      await delNetworkList(conflist, rt, prevResult, ctx.cni).catch(warn('orphan DEL'));
      if (lease) report.leasesReleased++;
    }
  }

  for (const rule of await listCniNatRules()) {
    if (rule.kind !== 'masquerade' || !orphans.has(pair(rule.network, rule.containerId))) continue;
    await deleteMasqRule(rule).catch(warn('masquerade rule'));
    report.rulesRemoved++;
  }

  // IPAM directories of networks that no longer exist.
  for (const lease of await readLeases(ctx.ipamDir)) {
    if (!ctx.networks.has(lease.network))
      await rm(join(ctx.ipamDir, lease.network), { recursive: true, force: true });
  }
  return report;
}
