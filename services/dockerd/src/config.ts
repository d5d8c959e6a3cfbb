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
  /** Runtime of containers created without --runtime (dockerd's --default-runtime). */
  defaultRuntime?: string;
  /** `NAME=PATH` runtimes besides the built-in ones (dockerd's --add-runtime). */
  addRuntimes?: string[];
  /** Linux bridge of the default `bridge` network (dockerd's --bridge). */
  bridge?: string;
  /** Gateway address and prefix of the default bridge network (dockerd's --bip). */
  bip?: string;
  /** Where user networks without --subnet get theirs (dockerd's --default-address-pool). */
  defaultAddressPool?: string;
  /** Registries reached without certificate checks or over HTTP (dockerd's --insecure-registry). */
  insecureRegistries?: string[];
}

export const DEFAULTS: Required<DockerdConfig> = {
  host: 'unix:///run/berth/docker.sock',
  containerdAddress: '/run/berth/containerd/containerd.sock',
  dataRoot: '/var/lib/berth/dockerd',
  execRoot: '/run/berth/dockerd',
  group: 'docker',
  cgroupParent: '/docker',
  // berth from the shim down (the shim runs berth's runtime in its process); Docker's default,
  // runc behind containerd-shim-runc-v2, is `--default-runtime runc`.
  defaultRuntime: 'io.containerd.berth.v1',
  addRuntimes: [],
  bridge: 'berth0',
  bip: '198.18.0.1/24',
  defaultAddressPool: 'base=198.18.0.0/15,size=24',
  // Docker always treats loopback registries as insecure
  insecureRegistries: ['127.0.0.0/8'],
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
      'default-runtime': { type: 'string' },
      'add-runtime': { type: 'string', multiple: true },
      'insecure-registry': { type: 'string', multiple: true },
      bridge: { type: 'string', short: 'b' },
      bip: { type: 'string' },
      'default-address-pool': { type: 'string' },
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
    defaultRuntime: values['default-runtime'] ?? DEFAULTS.defaultRuntime,
    addRuntimes: values['add-runtime'] ?? DEFAULTS.addRuntimes,
    bridge: values.bridge ?? DEFAULTS.bridge,
    bip: values.bip ?? DEFAULTS.bip,
    defaultAddressPool: values['default-address-pool'] ?? DEFAULTS.defaultAddressPool,
    insecureRegistries: [...DEFAULTS.insecureRegistries, ...(values['insecure-registry'] ?? [])],
  };
}

/** The filesystem path of a unix:// host, or an error naming what is accepted. */
export function unixSocketPath(host: string): string {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  throw new Error(`unsupported host ${host}: use unix:///path/to/socket or fd://`);
}
