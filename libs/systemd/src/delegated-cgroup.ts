// A Delegate=yes daemon's own cgroup layout (systemd.resource-control(5), "Delegate="): the
// daemon moves into a leaf of its unit's cgroup, so what it spawns (shims) can be told apart
// from it and the unit's cgroup stays an inner node it manages.
//
// Handing controllers to the unit's children is opt-in, because of cgroup v2's "no internal
// processes" rule: once the unit's cgroup enables a domain controller (memory, io) for its
// children, no process may join it again, and systemd before 254 (no DelegateSubgroup=)
// starts every new main process there. A daemon whose children outlive it (KillMode=process:
// containerd's shims and containers) then fails every restart with 219/CGROUP. So containers
// go in cgroups of their own outside the unit (the cgroupfs driver's /docker/<id>, as upstream
// dockerd does), and the daemon only moves into its leaf.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface DelegationOptions {
  /** Leaf for the daemon (and the shims it spawns); default "daemon". */
  leaf?: string;
  /**
   * Also enable every available controller for the unit's children. Only for a unit none of
   * whose processes outlive a stop: see the file comment.
   */
  enableControllers?: boolean;
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
  /** Controllers now enabled for the unit's children (none unless asked for). */
  controllers: string[];
}

/**
 * Moves the process into `<unit cgroup>/<leaf>` and, with `enableControllers`, enables every
 * available controller for the unit's children. Returns undefined on a host without a unified
 * (pure v2) hierarchy. Called again after a restart it finds itself already in the leaf.
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
  if (!opts.enableControllers) return { unit, leaf, controllers: [] };
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
