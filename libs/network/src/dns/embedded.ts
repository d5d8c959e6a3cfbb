// The embedded DNS servers, one per user network on its gateway address. A network's server
// starts once its bridge exists (the bridge plugin creates it, with the gateway address, on
// the first connect) and stops when the network is removed.
import type { Logger } from 'pino';
import { linkExists } from '../links';
import type { NetworkRecord } from '../store/records';
import { DnsServer } from './server';

export type NetworkLookup = (
  networkId: string,
  name: string,
  sourceIP: string,
) => string[] | undefined;

export class EmbeddedDns {
  private readonly servers = new Map<string, DnsServer>();

  constructor(
    private readonly port: number,
    private readonly log: Logger,
    private readonly lookup: NetworkLookup,
  ) {}

  async serve(net: NetworkRecord): Promise<void> {
    if (this.servers.has(net.id) || !net.gateway || !net.bridge) return;
    if (!(await linkExists(net.bridge))) return;
    const server = new DnsServer((name, source) => this.lookup(net.id, name, source));
    try {
      await server.listen(net.gateway, this.port);
      this.servers.set(net.id, server);
    } catch (err) {
      // Containers still get addresses; only name resolution on this network is missing.
      this.log.error({ err, network: net.id }, 'embedded DNS server could not start');
    }
  }

  async stop(networkId: string): Promise<void> {
    await this.servers.get(networkId)?.close();
    this.servers.delete(networkId);
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.servers.keys()]) await this.stop(id);
  }
}
