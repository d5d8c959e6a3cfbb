// The container's /etc/hosts and /etc/resolv.conf: the network library's contents with what
// the host config adds (--add-host, --dns, --dns-search, --dns-option), as Docker applies them.
import { join } from 'node:path';
import { invalidParameter } from '../api/errors';

export interface DnsOverrides {
  Dns?: string[] | null;
  DnsSearch?: string[] | null;
  DnsOptions?: string[] | null;
}

/**
 * --add-host entries ("name:ip", or "name=ip" since API 1.44) appended to the hosts file;
 * "host-gateway" stands for the gateway of the container's first network.
 */
export function withExtraHosts(
  hosts: string,
  extraHosts: string[] | null | undefined,
  gateway: string,
): string {
  const lines: string[] = [];
  for (const entry of extraHosts ?? []) {
    const at = entry.search(/[:=]/);
    const name = at < 0 ? '' : entry.slice(0, at);
    let ip = at < 0 ? '' : entry.slice(at + 1);
    if (!name || !ip) throw invalidParameter(`invalid IP address in add-host: "${ip}"`);
    if (ip === 'host-gateway') {
      if (!gateway) throw invalidParameter('unable to derive the IP value for host-gateway');
      ip = gateway;
    }
    lines.push(`${ip}\t${name}`);
  }
  return lines.length ? `${hosts}${lines.join('\n')}\n` : hosts;
}

/**
 * --dns replaces the nameservers unless the embedded server answers (it stays first, as the
 * container's names must resolve); --dns-search and --dns-option replace search and options.
 */
export function withDnsOverrides(resolvConf: string, o: DnsOverrides, embedded: boolean): string {
  const dns = embedded ? [] : (o.Dns ?? []);
  if (!dns.length && !o.DnsSearch?.length && !o.DnsOptions?.length) return resolvConf;
  const lines = resolvConf.split('\n').filter(Boolean);
  const keyword = (l: string) => /^\s*(\w+)\s/.exec(l)?.[1] ?? '';
  const keep = (k: string) => lines.filter((l) => keyword(l) === k);
  return `${[
    ...(dns.length ? dns.map((d) => `nameserver ${d}`) : keep('nameserver')),
    ...(o.DnsSearch?.length ? [`search ${o.DnsSearch.join(' ')}`] : keep('search')),
    ...(o.DnsOptions?.length ? [`options ${o.DnsOptions.join(' ')}`] : keep('options')),
    ...lines.filter((l) => !['nameserver', 'search', 'options'].includes(keyword(l))),
  ].join('\n')}\n`;
}

/** A container joining another's namespace (--network container:x) uses its files too. */
export function sharedEtcFiles(peerDir: string): { hosts: string; resolvConf: string } {
  return { hosts: join(peerDir, 'hosts'), resolvConf: join(peerDir, 'resolv.conf') };
}
