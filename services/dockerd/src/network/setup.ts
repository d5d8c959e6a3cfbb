// The network manager of one dockerd, from its configuration: state under the data root,
// namespaces under the exec root (as Docker's /var/run/docker/netns), the default bridge from
// --bridge/--bip and user subnets from --default-address-pool.
import { join } from 'node:path';
import { NetworkManager, type NetworkManagerOptions } from '@berth/network';
import type { Logger } from 'pino';
import { DEFAULTS, type DockerdConfig } from '../config';
import type { RecordStore } from '../containers/record-store';
import type { EventBus } from '../events/bus';
import { ContainerNetworking } from './container-network';

/** "198.18.0.1/24" → the bridge's subnet and gateway. */
export function parseBip(bip: string): { subnet: string; gateway: string } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(bip);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix < 1 || prefix > 30)
    throw new Error(`invalid --bip ${bip}: want an IPv4 address with a prefix, e.g. 198.18.0.1/24`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const base = address - (address % size);
  const dotted = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
  return { subnet: `${dotted}/${prefix}`, gateway: octets.join('.') };
}

/** "base=198.18.0.0/15,size=24" → the pool user networks' subnets come from. */
export function parseAddressPool(text: string): { base: string; size: number } {
  const fields = new Map(text.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const base = fields.get('base');
  const size = Number(fields.get('size'));
  if (!base || !Number.isInteger(size))
    throw new Error(`invalid --default-address-pool ${text}: want base=CIDR,size=N`);
  return { base, size };
}

export function networkOptions(config: DockerdConfig, logger: Logger): NetworkManagerOptions {
  return {
    root: join(config.dataRoot, 'network'),
    netnsDir: join(config.execRoot, 'netns'),
    defaultBridge: {
      bridge: config.bridge ?? DEFAULTS.bridge,
      ...parseBip(config.bip ?? DEFAULTS.bip),
    },
    subnetPool: parseAddressPool(config.defaultAddressPool ?? DEFAULTS.defaultAddressPool),
    logger,
  };
}

export async function openContainerNetworking(
  config: DockerdConfig,
  deps: { records: RecordStore; events?: EventBus; logger: Logger },
): Promise<ContainerNetworking> {
  const options = networkOptions(config, deps.logger);
  return new ContainerNetworking({
    manager: await NetworkManager.open(options),
    netnsDir: options.netnsDir!,
    containerDir: (id) => deps.records.dir(id),
    saveRecord: (record) => deps.records.save(record),
    ...(deps.events ? { events: deps.events } : {}),
    logger: deps.logger,
  });
}
