// Where a registry host is reached, in the order Docker tries it: a host with its own CA
// (Docker's certs.d/<host>/ca.crt) over HTTPS checked against that CA, loopback hosts over
// plain HTTP (as containerd's resolver does), hosts configured insecure over HTTPS without
// certificate checks and then plain HTTP, every other host over HTTPS only.
import { BlockList, isIP } from 'node:net';

export interface Endpoint {
  /** e.g. https://registry-1.docker.io */
  base: string;
  /** HTTPS without certificate verification (an insecure registry). */
  skipVerify: boolean;
}

/** Docker Hub's API host for the docker.io domain. */
const DOCKER_HUB_API = 'registry-1.docker.io';

function hostAndPort(host: string): { hostname: string; port?: string } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  return { hostname: m?.[1]?.replace(/^\[|\]$/g, '') ?? host, port: m?.[2] };
}

export function isLoopback(host: string): boolean {
  const { hostname } = hostAndPort(host);
  if (hostname === 'localhost' || hostname === '::1') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/**
 * Matches `host` against Docker's insecure-registry entries: `host[:port]` exactly, or a CIDR
 * that contains the host's literal IP address.
 */
export function isInsecure(host: string, insecure: readonly string[]): boolean {
  const { hostname } = hostAndPort(host);
  const family = isIP(hostname);
  for (const entry of insecure) {
    if (entry === host || entry === hostname) return true;
    const [net, bits] = entry.split('/');
    if (!family || !net || bits === undefined || isIP(net) !== family) continue;
    const list = new BlockList();
    const type = family === 4 ? 'ipv4' : 'ipv6';
    list.addSubnet(net, Number(bits), type);
    if (list.check(hostname, type)) return true;
  }
  return false;
}

export function endpointsFor(
  host: string,
  insecure: readonly string[],
  hasOwnCa = false,
): Endpoint[] {
  const apiHost = host === 'docker.io' ? DOCKER_HUB_API : host;
  if (hasOwnCa) return [{ base: `https://${apiHost}`, skipVerify: false }];
  if (isLoopback(host)) return [{ base: `http://${apiHost}`, skipVerify: false }];
  if (isInsecure(host, insecure)) {
    return [
      { base: `https://${apiHost}`, skipVerify: true },
      { base: `http://${apiHost}`, skipVerify: false },
    ];
  }
  return [{ base: `https://${apiHost}`, skipVerify: false }];
}

/** The registry host named by a login server address: "https://host:5000/v1/" → host:5000. */
export function registryHostOf(serverAddress: string): string {
  const host = serverAddress.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}
