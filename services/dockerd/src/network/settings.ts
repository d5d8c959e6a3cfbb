// A container's NetworkSettings as the Engine API shows them. The record keeps, per network,
// what was asked (IPAMConfig, Aliases) and, while the container runs, what its endpoint got;
// the deprecated top-level fields mirror the default bridge network only, as in Docker.
import type { EndpointInfo } from '@berth/network';
import type { PortMap } from './ports';

export interface EndpointConfig {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
  Aliases?: string[] | null;
}

export interface EndpointSettings {
  IPAMConfig: { IPv4Address?: string } | null;
  Links: string[] | null;
  Aliases: string[] | null;
  MacAddress: string;
  DriverOpts: Record<string, string> | null;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  DNSNames: string[] | null;
}

/** What the container record keeps. */
export interface NetworkSettings {
  SandboxID: string;
  SandboxKey: string;
  Ports: PortMap;
  Networks: Record<string, EndpointSettings>;
}

const UNSET = {
  MacAddress: '',
  EndpointID: '',
  Gateway: '',
  IPAddress: '',
  IPPrefixLen: 0,
  IPv6Gateway: '',
  GlobalIPv6Address: '',
  GlobalIPv6PrefixLen: 0,
  DNSNames: null,
};

/** An endpoint the container should have on its next start. */
export function requestedEndpoint(networkId: string, config?: EndpointConfig): EndpointSettings {
  const ip = config?.IPAMConfig?.IPv4Address;
  const aliases = config?.Aliases?.filter(Boolean) ?? [];
  return {
    IPAMConfig: ip ? { IPv4Address: ip } : null,
    Links: null,
    Aliases: aliases.length ? aliases : null,
    DriverOpts: null,
    NetworkID: networkId,
    ...UNSET,
  };
}

export function liveEndpoint(
  requested: EndpointSettings,
  info: EndpointInfo,
  dnsNames: string[] | null,
): EndpointSettings {
  return {
    ...requested,
    NetworkID: info.networkId,
    EndpointID: info.endpointId,
    MacAddress: info.macAddress,
    Gateway: info.gateway,
    IPAddress: info.ipAddress,
    IPPrefixLen: info.prefixLen,
    DNSNames: dnsNames,
  };
}

/**
 * The settings of a container that is not running: what was asked stays; the endpoints'
 * addresses and the published ports go (Docker's ps shows no ports for it).
 */
export function clearedSettings(settings: NetworkSettings): NetworkSettings {
  const networks: Record<string, EndpointSettings> = {};
  for (const [name, ep] of Object.entries(settings.Networks)) networks[name] = { ...ep, ...UNSET };
  return { SandboxID: '', SandboxKey: '', Ports: {}, Networks: networks };
}

export function isLive(settings: NetworkSettings | undefined): boolean {
  return !!settings?.SandboxID;
}

/** GET /containers/{id}/json's NetworkSettings. */
export function networkSettingsView(settings: NetworkSettings | undefined) {
  const bridge = settings?.Networks.bridge;
  return {
    Bridge: '',
    SandboxID: settings?.SandboxID ?? '',
    SandboxKey: settings?.SandboxKey ?? '',
    Ports: settings?.Ports ?? {},
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: bridge?.EndpointID ?? '',
    Gateway: bridge?.Gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: bridge?.IPAddress ?? '',
    IPPrefixLen: bridge?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: bridge?.MacAddress ?? '',
    Networks: settings?.Networks ?? {},
  };
}
