// Test-side views of the host: links, NAT/filter rules, and what the tests leave behind. The
// library never spawns these tools on its hot path; tests do, to check from outside.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { iptablesSave } from '@berth/test-peers';

export { iptablesSave };

export const run = promisify(execFile);

export async function links(): Promise<string[]> {
  return (await readdir('/sys/class/net')).sort();
}

/** Polls until `probe` returns true (the kernel frees a namespace's veths asynchronously). */
export async function eventually(probe: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The ports (veths) attached to a bridge; empty when the bridge does not exist. */
export async function bridgePorts(bridge: string): Promise<string[]> {
  return readdir(`/sys/class/net/${bridge}/brif`).catch(() => []);
}

/**
 * The rules of one test, found by its markers (container ids, network ids, addresses), and the
 * CNI chains they jump to. Other tests may change iptables concurrently, so only these count.
 */
export function ownedRules(save: string, markers: string[]): { rules: string[]; chains: string[] } {
  const rules = save
    .split('\n')
    .filter((l) => l.startsWith('-A ') && markers.some((m) => l.includes(m)));
  const chains = new Set<string>();
  for (const rule of rules) {
    for (const m of rule.matchAll(/(?:^-A |-j )(CNI-[0-9a-f]{6,}|CNI-DN-[0-9a-f]+)/g))
      chains.add(m[1]!);
  }
  return { rules, chains: [...chains] };
}

export function declaredChains(save: string): Set<string> {
  return new Set([...save.matchAll(/^:(\S+) /gm)].map((m) => m[1]!));
}
