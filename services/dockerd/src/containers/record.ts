// A container as dockerd remembers it across restarts: the merged config, the host config
// as sent, and the last known state. Field names follow the Engine API, so inspect is a view.
import type { ContainerConfig } from '../images/media-types';
import type { MountPoint, MountSpec } from './mounts';
import type { PortMap } from '../network/ports';
import type { NetworkSettings } from '../network/settings';

export interface CreateConfig extends ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  Image?: string;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  StopTimeout?: number;
}

export interface HostConfig {
  Binds?: string[] | null;
  Mounts?: MountSpec[] | null;
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  BlkioWeight?: number;
  PidsLimit?: number | null;
  Devices?: { PathOnHost: string; PathInContainer?: string; CgroupPermissions?: string }[] | null;
  AutoRemove?: boolean;
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  NetworkMode?: string;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  SecurityOpt?: string[] | null;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
  Tmpfs?: Record<string, string> | null;
  PortBindings?: PortMap | null;
  PublishAllPorts?: boolean;
  Dns?: string[] | null;
  DnsSearch?: string[] | null;
  DnsOptions?: string[] | null;
  ExtraHosts?: string[] | null;
  [key: string]: unknown;
}

export type Status =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  Status: Status;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  OOMKilled: boolean;
}

export interface ContainerRecord {
  Id: string;
  /** With Docker's leading slash: "/web". */
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  /** The image ID (config digest). */
  Image: string;
  Config: CreateConfig;
  HostConfig: HostConfig;
  State: ContainerState;
  RestartCount: number;
  /** Set by docker stop/kill: the restart policy must not bring it back. */
  StoppedByUser: boolean;
  /** Volumes, binds and tmpfs mounts, resolved at create. */
  MountPoints?: MountPoint[];
  /** Networks asked for and, while running, the endpoints they gave. */
  NetworkSettings?: NetworkSettings;
  /** W3C traceparent of the container's last run (its trace continues or links to it). */
  TraceParent?: string;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The state of a container that was created and never started. */
export function createdState(): ContainerState {
  return {
    Status: 'created',
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
    OOMKilled: false,
  };
}
