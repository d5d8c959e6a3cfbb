// Reading a bridge plugin result and naming interfaces for one endpoint.
import type { CniResult } from './cni';
import { NetworkError } from './errors';
import type { PortBinding, SandboxRecord } from './store/records';

/** eth0 for the first network, then the lowest free ethN (as Docker numbers them). */
export function nextIfName(sb: SandboxRecord): string {
  const used = new Set(sb.endpoints.map((e) => e.ifName));
  let n = 0;
  while (used.has(`eth${n}`)) n++;
  return `eth${n}`;
}

/** The container-side interface's address, gateway and MAC. */
export function addressOf(result: CniResult, netnsPath: string) {
  const ifaces = result.interfaces ?? [];
  const ip =
    (result.ips ?? []).find((c) => c.interface !== undefined && ifaces[c.interface]?.sandbox) ??
    result.ips?.[0];
  if (!ip) throw new NetworkError(500, 'CNI result has no IP address');
  const [ipAddress = '', prefix = '32'] = ip.address.split('/');
  const iface =
    (ip.interface !== undefined ? ifaces[ip.interface] : undefined) ??
    ifaces.find((i) => i.sandbox === netnsPath);
  return {
    ipAddress,
    prefixLen: Number(prefix),
    gateway: ip.gateway ?? '',
    macAddress: iface?.mac ?? '',
  };
}

/** The portMappings capability argument portmap reads. */
export function portMappingsArg(ports: PortBinding[]) {
  return ports.map((p) => ({
    hostPort: p.hostPort,
    containerPort: p.containerPort,
    protocol: p.protocol,
    ...(p.hostIP ? { hostIP: p.hostIP } : {}),
  }));
}
