// Networks in the Engine API's NetworkResource shape, so dockerd serves them unchanged.
import type { NetworkRecord, SandboxRecord } from './store/records';

export interface NetworkContainer {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  IPv4Address: string;
  IPv6Address: string;
}

export interface NetworkResource {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: string;
  EnableIPv6: boolean;
  IPAM: {
    Driver: 'default';
    Options: Record<string, string>;
    Config: { Subnet: string; Gateway: string; IPRange?: string }[];
  };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Containers: Record<string, NetworkContainer>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
}

export function toResource(
  net: NetworkRecord,
  sandboxes: Iterable<SandboxRecord>,
): NetworkResource {
  const containers: Record<string, NetworkContainer> = {};
  for (const sandbox of sandboxes) {
    for (const ep of sandbox.endpoints) {
      if (ep.networkId !== net.id) continue;
      containers[sandbox.containerId] = {
        Name: sandbox.name ?? sandbox.containerId.slice(0, 12),
        EndpointID: ep.endpointId,
        MacAddress: ep.macAddress,
        IPv4Address: `${ep.ipAddress}/${ep.prefixLen}`,
        IPv6Address: '',
      };
    }
  }
  const config =
    net.subnet && net.gateway
      ? [
          {
            Subnet: net.subnet,
            Gateway: net.gateway,
            ...(net.ipRange ? { IPRange: net.ipRange } : {}),
          },
        ]
      : [];
  return {
    Name: net.name,
    Id: net.id,
    Created: net.created,
    Scope: 'local',
    Driver: net.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: config },
    Internal: net.internal,
    Attachable: net.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: net.options,
    Labels: net.labels,
  };
}
