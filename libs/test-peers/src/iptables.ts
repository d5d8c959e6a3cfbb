// The host's iptables as tests see it, and the cleanup of the chains CNI plugins share between
// containers. The root vitest global setup runs that cleanup once, after every project: a
// package that cleaned them itself could pull a chain from under another package's test.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function iptablesSave(): Promise<string> {
  const { stdout } = await run('iptables-save');
  // Counters and the header/footer comments change between calls.
  return stdout
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
}

const chainsOf = (save: string) =>
  new Map(
    [...save.matchAll(/^\*(\w+)$|^:(\S+) /gm)].reduce<[string, string][]>((acc, m) => {
      if (m[1]) acc.push(['table', m[1]]);
      else acc.push([m[2]!, acc.filter(([k]) => k === 'table').at(-1)![1]]);
      return acc;
    }, []),
  );

/** The chains the plugins share between all containers and never delete themselves. */
const SHARED_CHAINS = [
  'CNI-HOSTPORT-DNAT',
  'CNI-HOSTPORT-SNAT',
  'CNI-HOSTPORT-MASQ',
  'CNI-HOSTPORT-SETMARK',
  'CNI-FORWARD',
  'CNI-ADMIN',
];

/**
 * Removes the plugins' shared chains (and the rules jumping to them) that did not exist in
 * `before` and that no container uses any more: they stay on a host as Docker's chains do,
 * but a test run leaves the host as it found it. A chain still forwarding to a container
 * (another package's test may run at the same time) is left alone.
 */
export async function removeChainsCreatedSince(before: string): Promise<void> {
  const had = chainsOf(before);
  const save = await iptablesSave();
  const now = chainsOf(save);
  const rules = save.split('\n').filter((l) => l.startsWith('-A '));
  const inUse = (chain: string) =>
    rules.some((r) => r.startsWith(`-A ${chain} `) && /-j CNI-DN-|dnat name:| -[ds] \d/.test(r));
  const doomed = SHARED_CHAINS.filter((c) => now.has(c) && !had.has(c) && !inUse(c));
  const iptables = (table: string, ...args: string[]) =>
    run('iptables', ['-w', '-t', table, ...args]).catch(() => {});
  for (const chain of doomed) {
    const table = now.get(chain)!;
    for (const rule of rules) {
      if (rule.endsWith(`-j ${chain}`) && !doomed.some((d) => rule.startsWith(`-A ${d} `)))
        await run('sh', ['-c', `iptables -w -t ${table} -D ${rule.slice(3)}`]).catch(() => {});
    }
  }
  for (const chain of doomed) await iptables(now.get(chain)!, '-F', chain);
  for (const chain of doomed) await iptables(now.get(chain)!, '-X', chain);
}
