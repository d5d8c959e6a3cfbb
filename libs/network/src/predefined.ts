// The networks every engine has: the default `bridge` (no embedded DNS, as Docker's), `host`
// and `none`. They cannot be removed.
import type { NetworkRecord } from './store/records';
import { planFromUser } from './subnets';

export const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

export interface DefaultBridge {
  bridge?: string;
  subnet?: string;
  gateway?: string;
}

export function predefinedNetworks(
  defaults: DefaultBridge = {},
): Omit<NetworkRecord, 'id' | 'created'>[] {
  const bridge = defaults.bridge ?? 'berth0';
  const common = { predefined: true, internal: false, attachable: false, labels: {} };
  const plain = { userSubnet: false, dns: false, options: {}, ...common };
  return [
    {
      name: 'bridge',
      driver: 'bridge',
      bridge,
      ...planFromUser(
        { subnet: defaults.subnet ?? '198.18.0.0/24', gateway: defaults.gateway },
        [],
      ),
      ...plain,
      options: { [BRIDGE_NAME_OPTION]: bridge },
    },
    { name: 'host', driver: 'host', ...plain },
    { name: 'none', driver: 'null', ...plain },
  ];
}
