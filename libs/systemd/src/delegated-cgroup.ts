// The cgroup v2 "no internal processes" rule: a cgroup that hands controllers to its
// children must have no processes of its own. A Delegate=yes unit starts with its main
// process in the unit's cgroup, so before the daemon can create container cgroups with
// memory/cpu/pids limits below it, the daemon moves itself into a leaf and enables the
// controllers on the unit's cgroup (systemd.resource-control(5), "Delegate=").
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface DelegationOptions {
  /** Leaf for the daemon (and the shims it spawns); default "daemon". */
  leaf?: string;
  /** cgroup2 mount; default /sys/fs/cgroup. */
  cgroupRoot?: string;
  /** The process's cgroup membership; default /proc/self/cgroup. */
  procCgroup?: string;
  pid?: number;
}

export interface DelegatedCgroup {
  /** The unit's cgroup, as a cgroup path (`/system.slice/berth-containerd.service`): the parent for container cgroups. */
  unit: string;
  /** The leaf the daemon now runs in, as a cgroup path. */
  leaf: string;
  /** Controllers now enabled for the unit's children. */
  controllers: string[];
}

/**
 * Moves the process into `<unit cgroup>/<leaf>` and enables every available controller for the
 * unit's children. Returns undefined on a host without a unified (pure v2) hierarchy. Called
 * again after a restart it finds itself already in the leaf and only re-checks the controllers.
 */
export function enterDelegatedLeaf(opts: DelegationOptions = {}): DelegatedCgroup | undefined {
  const root = opts.cgroupRoot ?? '/sys/fs/cgroup';
  const leafName = opts.leaf ?? 'daemon';
  if (!existsSync(join(root, 'cgroup.controllers'))) return undefined;
  const own = unifiedPath(readFileSync(opts.procCgroup ?? '/proc/self/cgroup', 'utf8'));
  if (own === undefined) return undefined;
  const unit = posix.basename(own) === leafName ? posix.dirname(own) : own;
  const leaf = posix.join(unit, leafName);
  mkdirSync(join(root, leaf), { recursive: true });
  writeFileSync(join(root, leaf, 'cgroup.procs'), `${opts.pid ?? process.pid}\n`);
  const controllers = readFileSync(join(root, unit, 'cgroup.controllers'), 'utf8')
    .split(/\s+/)
    .filter(Boolean);
  if (controllers.length > 0)
    writeFileSync(
      join(root, unit, 'cgroup.subtree_control'),
      controllers.map((c) => `+${c}`).join(' '),
    );
  return { unit, leaf, controllers };
}

/** The cgroup v2 path from /proc/<pid>/cgroup ("0::/path"), if the process is in one. */
export function unifiedPath(procCgroup: string): string | undefined {
  const line = procCgroup.split('\n').find((l) => l.startsWith('0::'));
  const path = line?.slice(3);
  return path?.startsWith('/') ? path : undefined;
}
