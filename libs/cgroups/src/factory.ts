import { CgroupError } from './errors';
import { NodeCgroupFs, type CgroupFs } from './fs';
import { detectHost, type CgroupHost } from './host';
import {
  DEFAULT_TIMING,
  nodeProcessControl,
  type CgroupManager,
  type ProcessControl,
  type Timing,
} from './manager';
import { resolveCgroupPath } from './paths';
import { V1Manager } from './v1/manager';
import { V2Manager } from './v2/manager';

export interface ManagerOptions {
  fs?: CgroupFs;
  processes?: ProcessControl;
  timing?: Partial<Timing>;
  /** Detected from /proc/self when absent. */
  host?: CgroupHost;
}

/**
 * The manager for the spec's cgroupsPath on this host: v2 on a unified host, v1 on a legacy or
 * hybrid one (there the controllers live on v1; the cgroup2 mount only tracks processes).
 */
export async function createManager(
  cgroupsPath: string,
  options: ManagerOptions = {},
): Promise<CgroupManager> {
  const fs = options.fs ?? new NodeCgroupFs();
  const host = options.host ?? (await detectHost(fs));
  return managerFor(host, cgroupsPath, { ...options, fs });
}

export function managerFor(
  host: CgroupHost,
  cgroupsPath: string,
  options: ManagerOptions = {},
): CgroupManager {
  const deps = {
    fs: options.fs ?? new NodeCgroupFs(),
    processes: options.processes ?? nodeProcessControl,
    timing: { ...DEFAULT_TIMING, ...options.timing },
  };
  if (host.mode === 'unified') {
    if (!host.unified) throw new CgroupError('unified host without a cgroup2 mount');
    // Relative paths hang below the parent of our own cgroup: our own one holds processes,
    // and the no-internal-processes rule would keep its children from getting controllers.
    const base = host.unified.ownPath === '/' ? '/' : parentOf(host.unified.ownPath);
    return new V2Manager(host.unified, resolveCgroupPath(cgroupsPath, base), deps);
  }
  const paths: Record<string, string> = {};
  for (const [controller, location] of Object.entries(host.v1)) {
    paths[controller] = resolveCgroupPath(cgroupsPath, location.ownPath);
  }
  return new V1Manager(host.v1, paths, deps);
}

const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
