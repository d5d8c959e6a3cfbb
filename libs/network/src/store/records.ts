// What is kept on disk: networks, and per container its sandbox and endpoints. An endpoint
// keeps the exact conflist, runtime arguments and CNI result of its ADD, because DEL and
// CHECK must be given the same configuration and that result.
import type { CniResult, NetworkConfigList } from '../cni';

export type NetworkDriver = 'bridge' | 'host' | 'null';

export interface NetworkRecord {
  id: string;
  name: string;
  driver: NetworkDriver;
  created: string;
  /** host, none and the default bridge: they cannot be removed. */
  predefined: boolean;
  /** Linux bridge device (bridge driver only). */
  bridge?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  /** The subnet was given by the user: only then may a container ask for a static --ip. */
  userSubnet: boolean;
  /** Embedded DNS (user-defined bridge networks, as Docker). */
  dns: boolean;
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
}

export type Protocol = 'tcp' | 'udp';

export interface PortBinding {
  containerPort: number;
  protocol: Protocol;
  /** 0 asks for a free port from the ephemeral range (docker run -P, or -p 80). */
  hostPort: number;
  /** Address on the host; empty means all. */
  hostIP?: string;
}

export interface EndpointRecord {
  endpointId: string;
  networkId: string;
  ifName: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  aliases: string[];
  /** Host ports as published (random ones resolved). */
  ports: PortBinding[];
  conflist: NetworkConfigList;
  args?: Record<string, string>;
  capabilityArgs: Record<string, unknown>;
  result: CniResult;
}

export type SandboxMode = 'private' | 'none' | 'host' | 'container';

export interface SandboxRecord {
  containerId: string;
  mode: SandboxMode;
  /** The namespace to join; null for the host's. */
  netnsPath: string | null;
  /** Container whose namespace this one shares (mode container). */
  sharedWith?: string;
  name?: string;
  hostname?: string;
  endpoints: EndpointRecord[];
}

/** Private and none sandboxes have a namespace of their own to remove; others borrow one. */
export function ownsNetns(sb: Pick<SandboxRecord, 'mode'>): boolean {
  return sb.mode === 'private' || sb.mode === 'none';
}
