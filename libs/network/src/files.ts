// /etc/resolv.conf and /etc/hosts for a container, as Docker writes them.
import { readFile } from 'node:fs/promises';

const HOSTS_PREAMBLE = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

export function renderHosts(entries: { ip: string; names: string[] }[]): string {
  const lines = [...HOSTS_PREAMBLE];
  for (const e of entries) if (e.names.length) lines.push(`${e.ip}\t${e.names.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** The embedded server first; search domains kept from the host. */
export function renderEmbeddedResolvConf(nameserver: string, hostResolvConf: string): string {
  const search = hostResolvConf.split('\n').filter((l) => /^\s*search\s/.test(l));
  return [`nameserver ${nameserver}`, ...search, 'options ndots:0', ''].join('\n');
}

/**
 * The host's resolv.conf without loopback nameservers, which cannot answer from another
 * namespace. Docker then falls back to public resolvers; berth adds none, so a host
 * resolving only through localhost gives containers no nameserver.
 */
export function filterHostResolvConf(hostResolvConf: string): string {
  const lines = hostResolvConf
    .split('\n')
    .filter((l) => !/^\s*nameserver\s+(127\.|::1\s*$)/.test(l));
  return `${lines.join('\n').trimEnd()}\n`;
}

export async function readHostFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}
