// The OCI runtime spec for a container, with Docker's defaults (oci/defaults.go): its
// namespaces, capabilities, mounts, masked and read-only /proc and /sys paths, and the
// resources, mounts and security options of the host config.
import { isAbsolute } from 'node:path';
import { invalidParameter } from '../api/errors';
import { containerCapabilities } from './capabilities';
import type { ContainerRecord } from './record';
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

function userMounts(record: ContainerRecord): Mount[] {
  const host = record.HostConfig;
  const mounts: Mount[] = [];
  for (const bind of host.Binds ?? []) {
    const [source = '', destination = '', mode = ''] = bind.split(':');
    if (!isAbsolute(source)) throw invalidParameter(`named volumes are not supported yet: ${bind}`);
    if (!isAbsolute(destination)) throw invalidParameter(`invalid volume specification: '${bind}'`);
    mounts.push(bindMount(source, destination, mode.split(',').includes('ro')));
  }
  for (const mount of host.Mounts ?? []) {
    if (!mount.Target || !isAbsolute(mount.Target))
      throw invalidParameter('invalid mount config: Target must be an absolute path');
    if (mount.Type === 'tmpfs') mounts.push(tmpfs(mount.Target, ''));
    else if (mount.Type === 'bind' && mount.Source && isAbsolute(mount.Source))
      mounts.push(bindMount(mount.Source, mount.Target, !!mount.ReadOnly));
    else
      throw invalidParameter(
        `invalid mount config for type "${mount.Type}": only bind and tmpfs are supported`,
      );
  }
  for (const [destination, options] of Object.entries(host.Tmpfs ?? {}))
    mounts.push(tmpfs(destination, options));
  return mounts;
}

function tmpfs(destination: string, options: string): Mount {
  return {
    destination,
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['noexec', 'nosuid', 'nodev', ...options.split(',').filter(Boolean)],
  };
}

function namespaces(networkMode: string) {
  const list: { type: string }[] = [
    { type: 'mount' },
    { type: 'uts' },
    { type: 'pid' },
    { type: 'ipc' },
  ];
  if (networkMode !== 'host') list.push({ type: 'network' });
  return list;
}

function resources(record: ContainerRecord) {
  const host = record.HostConfig;
  const out: Record<string, unknown> = {
    devices: host.Privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }],
  };
  if (host.Memory) out.memory = { limit: host.Memory };
  const cpu: Record<string, unknown> = {};
  if (host.CpuShares) cpu.shares = host.CpuShares;
  if (host.NanoCpus)
    Object.assign(cpu, { period: 100_000, quota: Math.round((host.NanoCpus * 100_000) / 1e9) });
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  if (host.PidsLimit && host.PidsLimit > 0) out.pids = { limit: host.PidsLimit };
  return out;
}

export function buildSpec(inputs: SpecInputs): Record<string, unknown> {
  const { record, user } = inputs;
  const host = record.HostConfig;
  const privileged = !!host.Privileged;
  const caps = containerCapabilities(host.CapAdd, host.CapDrop, privileged);
  const securityOpts = host.SecurityOpt ?? [];
  const { hostname, hosts, resolvConf } = inputs.etcFiles;
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
      noNewPrivileges: securityOpts.some((o) => /^no-new-privileges(?:[:=]true)?$/.test(o)),
      oomScoreAdj: 0,
    },
    root: { path: 'rootfs', readonly: !!host.ReadonlyRootfs },
    hostname: record.Config.Hostname,
    mounts: [
      ...defaultMounts(privileged),
      bindMount(resolvConf, '/etc/resolv.conf', false),
      bindMount(hostname, '/etc/hostname', false),
      bindMount(hosts, '/etc/hosts', false),
      ...userMounts(record),
    ],
    linux: {
      namespaces: namespaces(host.NetworkMode ?? 'default'),
      resources: resources(record),
      cgroupsPath: `${inputs.cgroupParent}/${record.Id}`,
      maskedPaths: privileged ? [] : MASKED_PATHS,
      readonlyPaths: privileged ? [] : READONLY_PATHS,
    },
  };
}

/** The container's environment: HOSTNAME and TERM first, then the merged config Env. */
export function containerEnv(record: ContainerRecord, user: ResolvedUser): string[] {
  const env = [`HOSTNAME=${record.Config.Hostname}`];
  if (record.Config.Tty) env.push('TERM=xterm');
  const configEnv = record.Config.Env ?? [];
  env.push(...configEnv);
  if (!configEnv.some((e) => e.startsWith('HOME='))) env.push(`HOME=${user.home}`);
  return env;
}
