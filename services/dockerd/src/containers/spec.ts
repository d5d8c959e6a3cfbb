// The OCI runtime spec for a container, with Docker's defaults (oci/defaults.go): its
// namespaces, capabilities, mounts, masked and read-only /proc and /sys paths, and the
// resources, mounts and security options of the host config.
import { containerCapabilities } from './capabilities';
import { specMounts } from './mounts';
import type { ContainerRecord } from './record';
import { specResources } from './resources';
import { containerDevices, containerSeccomp, parseSecurityOpts } from './security';
import type { ResolvedUser } from './user';

export const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
export const READONLY_PATHS = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

export interface SpecInputs {
  record: ContainerRecord;
  user: ResolvedUser;
  env: string[];
  /** /etc/hostname, /etc/hosts, /etc/resolv.conf files made for this container. */
  etcFiles: { hostname: string; hosts: string; resolvConf: string };
  cgroupParent: string;
  /** The network namespace to join by path; null: the host's; absent: a new empty one. */
  netnsPath?: string | null;
}

interface Mount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

const defaultMounts = (privileged: boolean): Mount[] => [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  {
    destination: '/dev',
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
  },
  {
    destination: '/dev/pts',
    type: 'devpts',
    source: 'devpts',
    options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
  },
  {
    destination: '/sys',
    type: 'sysfs',
    source: 'sysfs',
    options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'],
  },
  {
    destination: '/sys/fs/cgroup',
    type: 'cgroup',
    source: 'cgroup',
    options: ['nosuid', 'noexec', 'nodev', 'relatime', privileged ? 'rw' : 'ro'],
  },
  {
    destination: '/dev/mqueue',
    type: 'mqueue',
    source: 'mqueue',
    options: ['nosuid', 'noexec', 'nodev'],
  },
  {
    destination: '/dev/shm',
    type: 'tmpfs',
    source: 'shm',
    options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
  },
];

function bindMount(source: string, destination: string, readonly: boolean): Mount {
  return {
    destination,
    type: 'bind',
    source,
    options: ['rbind', 'rprivate', ...(readonly ? ['ro'] : [])],
  };
}

/** A user mount replaces the default mount at its destination, as Docker's does. */
function withoutOverridden(defaults: Mount[], userMounts: readonly Mount[]): Mount[] {
  return defaults.filter((m) => !userMounts.some((u) => u.destination === m.destination));
}

function namespaces(networkMode: string, netnsPath: string | null | undefined) {
  const list: { type: string; path?: string }[] = [
    { type: 'mount' },
    { type: 'uts' },
    { type: 'pid' },
    { type: 'ipc' },
  ];
  // A namespace prepared by the network manager is joined by path, as Docker's sandbox key.
  if (netnsPath) list.push({ type: 'network', path: netnsPath });
  else if (netnsPath === undefined && networkMode !== 'host') list.push({ type: 'network' });
  return list;
}

export function buildSpec(inputs: SpecInputs): Record<string, unknown> {
  const { record, user } = inputs;
  const host = record.HostConfig;
  const privileged = !!host.Privileged;
  const caps = containerCapabilities(host.CapAdd, host.CapDrop, privileged);
  const security = parseSecurityOpts(host.SecurityOpt);
  const devices = containerDevices(host);
  const seccomp = containerSeccomp(host, security, caps);
  const { hostname, hosts, resolvConf } = inputs.etcFiles;
  const userMounts = specMounts(record.MountPoints ?? [], host.Tmpfs ?? {});
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: !!record.Config.Tty,
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
      args: [record.Path, ...record.Args],
      env: inputs.env,
      cwd: record.Config.WorkingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      rlimits: (host.Ulimits ?? []).map((u) => ({
        type: `RLIMIT_${u.Name.toUpperCase()}`,
        hard: u.Hard,
        soft: u.Soft,
      })),
      noNewPrivileges: security.noNewPrivileges,
      oomScoreAdj: 0,
    },
    root: { path: 'rootfs', readonly: !!host.ReadonlyRootfs },
    hostname: record.Config.Hostname,
    mounts: [
      ...withoutOverridden(
        [
          ...defaultMounts(privileged),
          bindMount(resolvConf, '/etc/resolv.conf', false),
          bindMount(hostname, '/etc/hostname', false),
          bindMount(hosts, '/etc/hosts', false),
        ],
        userMounts,
      ),
      ...userMounts,
    ],
    linux: {
      namespaces: namespaces(host.NetworkMode ?? 'default', inputs.netnsPath),
      resources: { ...specResources(host), devices: devices.rules },
      devices: devices.devices,
      ...(seccomp ? { seccomp } : {}),
      cgroupsPath: `${inputs.cgroupParent}/${record.Id}`,
      maskedPaths: privileged ? [] : MASKED_PATHS,
      readonlyPaths: privileged ? [] : READONLY_PATHS,
    },
  };
}

/** The container's environment: HOSTNAME and TERM first, then the merged config Env. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function containerEnv(record: ContainerRecord, user: ResolvedUser): string[] {
  const env = [`HOSTNAME=${record.Config.Hostname}`];
  if (record.Config.Tty) env.push('TERM=xterm');
  const configEnv = record.Config.Env ?? [];
  // Docker's default PATH for images that set none (docker import, FROM scratch)
  if (!configEnv.some((e) => e.startsWith('PATH='))) env.unshift(`PATH=${DEFAULT_PATH}`);
  env.push(...configEnv);
  if (!configEnv.some((e) => e.startsWith('HOME='))) env.push(`HOME=${user.home}`);
  return env;
}
