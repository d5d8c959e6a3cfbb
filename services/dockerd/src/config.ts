// berth-dockerd's configuration: embedded defaults, overridden by flags.
import { parseArgs } from 'node:util';

export interface DockerdConfig {
  /** Where the Engine API listens: unix:///path or fd:// (a socket handed over by systemd). */
  host: string;
  /** The containerd gRPC socket, berth's or upstream's. */
  containerdAddress: string;
  /** Persistent state: container configs, volumes, logs. */
  dataRoot: string;
  /** Runtime state that does not survive a reboot. */
  execRoot: string;
  /** Group that owns the API socket, as the `docker` group does for dockerd. */
  group: string;
  /** Parent of every container's cgroup (dockerd's --cgroup-parent). */
  cgroupParent: string;
}

export const DEFAULTS: DockerdConfig = {
  host: 'unix:///run/berth/docker.sock',
  containerdAddress: '/run/berth/containerd/containerd.sock',
  dataRoot: '/var/lib/berth/dockerd',
  execRoot: '/run/berth/dockerd',
  group: 'docker',
  cgroupParent: '/docker',
};

export function parseConfig(argv: string[]): DockerdConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', short: 'H' },
      containerd: { type: 'string' },
      'data-root': { type: 'string' },
      'exec-root': { type: 'string' },
      group: { type: 'string', short: 'G' },
      'cgroup-parent': { type: 'string' },
    },
    allowPositionals: false,
  });
  return {
    host: values.host ?? DEFAULTS.host,
    containerdAddress: values.containerd ?? DEFAULTS.containerdAddress,
    dataRoot: values['data-root'] ?? DEFAULTS.dataRoot,
    execRoot: values['exec-root'] ?? DEFAULTS.execRoot,
    group: values.group ?? DEFAULTS.group,
    cgroupParent: values['cgroup-parent'] ?? DEFAULTS.cgroupParent,
  };
}

/** The filesystem path of a unix:// host, or an error naming what is accepted. */
export function unixSocketPath(host: string): string {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(`unsupported host ${host}: use unix:///path/to/socket or fd://`);
}
