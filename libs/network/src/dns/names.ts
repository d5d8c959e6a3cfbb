// Which addresses a container's name query resolves to, with Docker's scoping: a container
// sees the containers (names, aliases, short ids, and `name.network`) on the networks it is
// itself connected to that have embedded DNS.
import type { NetworkRecord, SandboxRecord } from '../store/records';

export interface NameTable {
  networks: ReadonlyMap<string, NetworkRecord>;
  sandboxes: Iterable<SandboxRecord>;
}

export function resolveName(
  table: NameTable,
  serverNetworkId: string,
  name: string,
  sourceIP: string,
): string[] | undefined {
  const sandboxes = [...table.sandboxes];
  const asker = sandboxes.find((s) => s.endpoints.some((e) => e.ipAddress === sourceIP));
  const scope = asker
    ? asker.endpoints.map((e) => e.networkId).filter((id) => table.networks.get(id)?.dns)
    : [serverNetworkId];
  const found = new Set<string>();
  for (const networkId of scope) {
    const network = table.networks.get(networkId);
    if (!network) continue;
    for (const sandbox of sandboxes) {
      for (const ep of sandbox.endpoints) {
        if (ep.networkId !== networkId) continue;
        if (namesOf(sandbox, ep.aliases, network.name).has(name)) found.add(ep.ipAddress);
      }
    }
  }
  return found.size ? [...found] : undefined;
}

function namesOf(sandbox: SandboxRecord, aliases: string[], networkName: string): Set<string> {
  const base = [sandbox.name, sandbox.containerId.slice(0, 12), ...aliases]
    .filter((n): n is string => !!n)
    .map((n) => n.replace(/^\//, '').toLowerCase());
  return new Set([...base, ...base.map((n) => `${n}.${networkName.toLowerCase()}`)]);
}
