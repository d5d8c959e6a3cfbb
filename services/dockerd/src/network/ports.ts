// Published ports as the Engine API spells them (PortBindings, ExposedPorts, PublishAllPorts;
// inspect's Ports map, ps's Ports list), turned into the network library's bindings and back.
import type { PortBinding, Protocol } from '@berth/network';
import { invalidParameter } from '../api/errors';

/** "80/tcp" → [{HostIp, HostPort}], as in HostConfig.PortBindings and NetworkSettings.Ports. */
export type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

/** One row of GET /containers/json's Ports, which `docker ps` renders as 0.0.0.0:80->80/tcp. */
export interface PortSummary {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

function parsePort(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw invalidParameter(`invalid ${what}: "${text}"`);
  const port = Number(text);
  if (port > 65535) throw invalidParameter(`invalid ${what}: "${text}"`);
  return port;
}

/** A port key of ExposedPorts/PortBindings: "80", "80/tcp", "53/udp". */
export function parsePortKey(key: string): { port: number; protocol: Protocol } {
  const [port = '', proto = 'tcp'] = key.split('/');
  const protocol = proto.toLowerCase();
  if (protocol !== 'tcp' && protocol !== 'udp')
    throw invalidParameter(`invalid proto: ${proto} (berth publishes tcp and udp)`);
  const containerPort = parsePort(port, 'containerPort');
  if (containerPort === 0) throw invalidParameter(`invalid containerPort: "${port}"`);
  return { port: containerPort, protocol };
}

const portKey = (port: number, protocol: string) => `${port}/${protocol}`;

/**
 * The bindings to publish: every PortBindings entry (HostPort "" is a free port), plus, with
 * PublishAllPorts (-P), a free port for each exposed port that has no explicit binding.
 * IPv6 host addresses are skipped: berth's networks are IPv4 only.
 */
export function requestedPorts(
  portBindings: PortMap | null | undefined,
  exposedPorts: Record<string, object> | null | undefined,
  publishAll: boolean,
): PortBinding[] {
  const out: PortBinding[] = [];
  const bound = new Set<string>();
  for (const [key, bindings] of Object.entries(portBindings ?? {})) {
    const { port, protocol } = parsePortKey(key);
    for (const b of bindings ?? []) {
      const hostIP = b.HostIp ?? '';
      if (hostIP.includes(':')) continue;
      const hostPort = b.HostPort ? parsePort(b.HostPort, 'hostPort') : 0;
      out.push({ containerPort: port, protocol, hostPort, ...(hostIP ? { hostIP } : {}) });
      bound.add(portKey(port, protocol));
    }
  }
  if (publishAll) {
    for (const key of Object.keys(exposedPorts ?? {})) {
      const { port, protocol } = parsePortKey(key);
      if (bound.has(portKey(port, protocol))) continue;
      out.push({ containerPort: port, protocol, hostPort: 0 });
      bound.add(portKey(port, protocol));
    }
  }
  return out;
}

/** NetworkSettings.Ports: exposed ports map to null until published, then to their bindings. */
export function portMap(
  exposedPorts: Record<string, object> | null | undefined,
  published: PortBinding[],
): PortMap {
  const map: PortMap = {};
  for (const key of Object.keys(exposedPorts ?? {})) {
    const { port, protocol } = parsePortKey(key);
    map[portKey(port, protocol)] = null;
  }
  for (const p of published) {
    const key = portKey(p.containerPort, p.protocol);
    (map[key] ??= []).push({ HostIp: p.hostIP || '0.0.0.0', HostPort: String(p.hostPort) });
  }
  return map;
}

/** The ps Ports list from a NetworkSettings.Ports map. */
export function portSummary(map: PortMap | undefined): PortSummary[] {
  const rows: PortSummary[] = [];
  for (const [key, bindings] of Object.entries(map ?? {})) {
    const { port, protocol } = parsePortKey(key);
    if (!bindings?.length) rows.push({ PrivatePort: port, Type: protocol });
    for (const b of bindings ?? [])
      rows.push({
        IP: b.HostIp,
        PrivatePort: port,
        PublicPort: Number(b.HostPort),
        Type: protocol,
      });
  }
  return rows;
}
