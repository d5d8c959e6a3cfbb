// Reads the HostInfo the plan needs: the cgroup layout a container's /sys/fs/cgroup mirrors.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { detectHost, NodeCgroupFs, type CgroupHost } from '@berth/cgroups';
import type { HostInfo } from './build';
import type { CgroupLayout } from './mounts';

export function cgroupLayout(host: CgroupHost): CgroupLayout {
  if (host.mode === 'unified') return { unified: true, v1: [] };
  const byMount = new Map<string, string[]>();
  for (const [controller, loc] of Object.entries(host.v1)) {
    byMount.set(loc.mountpoint, [...(byMount.get(loc.mountpoint) ?? []), controller]);
  }
  return {
    unified: false,
    v1: [...byMount].map(([mountpoint, controllers]) => ({
      name: basename(mountpoint),
      options: controllers.join(','),
    })),
  };
}

let cached: Promise<HostInfo> | undefined;

/** `host` saves a second read of the layout when the caller has it already. */
export function readHostInfo(host?: Promise<CgroupHost>): Promise<HostInfo> {
  cached ??= (host ?? detectHost(new NodeCgroupFs())).then((h) => ({
    cgroups: cgroupLayout(h),
    hasKcore: existsSync('/proc/kcore'),
  }));
  return cached;
}
