// A container as dockerd remembers it across restarts: the merged config, the host config
// as sent, and the last known state. Field names follow the Engine API, so inspect is a view.
import type { ContainerConfig } from '../images/media-types';

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
  Mounts?: { Type?: string; Source?: string; Target?: string; ReadOnly?: boolean }[] | null;
  Memory?: number;
  NanoCpus?: number;
  CpuShares?: number;
  PidsLimit?: number | null;
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
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';
