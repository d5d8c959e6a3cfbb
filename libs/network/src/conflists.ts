// The conflists berth hands the standard plugins: bridge (veth, bridge, gateway address,
// outbound masquerade, hairpin) with host-local IPAM, portmap for published ports, and
// firewall so forwarding works on hosts whose FORWARD policy drops. (`lo` is brought up by
// the berth-netns helper that makes the namespace, as libnetwork does.)
import { CNI_VERSION, type NetworkConfigList } from './cni';
import type { NetworkRecord } from './store/records';
import { ipamRange } from './subnets';

export function bridgeConflist(
  net: NetworkRecord,
  ipamDataDir: string,
  opts: { defaultRoute: boolean; staticIP?: boolean },
): NetworkConfigList {
  if (!net.bridge || !net.subnet || !net.gateway)
    throw new Error(`network ${net.name} has no bridge address plan`);
  // --ip-range limits dynamic addresses only; a static --ip may be anywhere in the subnet.
  const ipRange = opts.staticIP ? undefined : net.ipRange;
  const range = ipamRange({ subnet: net.subnet, gateway: net.gateway, ipRange });
  return {
    cniVersion: CNI_VERSION,
    name: net.id,
    plugins: [
      {
        type: 'bridge',
        bridge: net.bridge,
        isGateway: true,
        // Only the first interface routes by default, as Docker's gateway priority does.
        isDefaultGateway: opts.defaultRoute && !net.internal,
        ipMasq: !net.internal,
        hairpinMode: true,
        capabilities: { ips: true },
        ipam: { type: 'host-local', ranges: [[range]], dataDir: ipamDataDir },
      },
      { type: 'portmap', snat: true, capabilities: { portMappings: true } },
      { type: 'firewall', backend: 'iptables' },
    ],
  };
}
