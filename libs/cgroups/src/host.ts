import { posix } from 'node:path';
import { CgroupError } from './errors';
import type { CgroupFs } from './fs';

/** unified: only cgroup2; hybrid: v1 controllers plus a cgroup2 mount; legacy: v1 only. */
export type CgroupMode = 'unified' | 'hybrid' | 'legacy';

/** Where a hierarchy is mounted and which of its cgroups that mount shows at its mountpoint. */
export interface HierarchyMount {
  mountpoint: string;
  /** The mount's root inside the hierarchy ("/" unless a sub-cgroup was bind-mounted). */
  root: string;
}

export interface HierarchyLocation extends HierarchyMount {
  /** This process's cgroup in that hierarchy, from /proc/self/cgroup. */
  ownPath: string;
}

export interface CgroupHost {
  mode: CgroupMode;
  /** The cgroup2 hierarchy, with the controllers its root offers (cgroup.controllers). */
  unified?: HierarchyLocation & { controllers: string[] };
  /** v1 hierarchies by controller ("memory", "cpu", ... and named ones as "name=systemd"). */
  v1: Record<string, HierarchyLocation>;
}

/** Controllers a v1 mount can carry; other super options (rw, clone_children, ...) are not. */
const V1_CONTROLLERS = new Set([
  'cpu',
  'cpuacct',
  'cpuset',
  'memory',
  'devices',
  'freezer',
  'net_cls',
  'net_prio',
  'blkio',
  'perf_event',
  'hugetlb',
  'pids',
  'rdma',
  'misc',
]);

export interface MountInfoEntry {
  root: string;
  mountpoint: string;
  fstype: string;
  superOptions: string[];
}

// mountinfo escapes space, tab, newline and backslash as \ooo octal.
const unescapeOctal = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Parses /proc/<pid>/mountinfo (proc(5)); optional fields end at the "-" separator. */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const entries: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    const [root, mountpoint] = [fields[3], fields[4]];
    const [fstype, , superOptions] = fields.slice(sep + 1);
    if (sep < 0 || !root || !mountpoint || !fstype) {
      throw new CgroupError(`parse mountinfo: malformed line ${JSON.stringify(line)}`);
    }
    entries.push({
      root: unescapeOctal(root),
      mountpoint: unescapeOctal(mountpoint),
      fstype,
      superOptions: (superOptions ?? '').split(','),
    });
  }
  return entries;
}

/** Parses /proc/<pid>/cgroup into controller -> path; the cgroup2 entry is keyed "". */
export function parseProcCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m)
      throw new CgroupError(`parse /proc/self/cgroup: malformed line ${JSON.stringify(line)}`);
    const [, controllers = '', path = ''] = m;
    if (controllers === '') paths.set('', path);
    for (const c of controllers.split(',').filter(Boolean)) paths.set(c, path);
  }
  return paths;
}

/** Directory of hierarchy path `cgroupPath` under a mount, refusing paths the mount cannot show. */
export function hierarchyDir(mount: HierarchyMount, cgroupPath: string): string {
  const rel = posix.relative(mount.root, cgroupPath);
  if (rel.startsWith('..') || posix.isAbsolute(rel)) {
    throw new CgroupError(
      `cgroup ${cgroupPath} is outside the hierarchy mounted at ${mount.mountpoint} (root ${mount.root})`,
    );
  }
  return posix.join(mount.mountpoint, rel);
}

/** Reads the host's cgroup layout for this process. `proc` is /proc/self (or another pid's). */
export async function detectHost(fs: CgroupFs, proc = '/proc/self'): Promise<CgroupHost> {
  const mounts = parseMountInfo(await fs.readFile(`${proc}/mountinfo`));
  const own = parseProcCgroup(await fs.readFile(`${proc}/cgroup`));
  const v1: Record<string, HierarchyLocation> = {};
  let unified: CgroupHost['unified'];

  for (const m of mounts) {
    if (m.fstype === 'cgroup2' && !unified && own.has('')) {
      const controllers = await fs.readFile(posix.join(m.mountpoint, 'cgroup.controllers'));
      unified = {
        mountpoint: m.mountpoint,
        root: m.root,
        ownPath: own.get('') ?? '/',
        controllers: controllers.split(/\s+/).filter(Boolean),
      };
    } else if (m.fstype === 'cgroup') {
      const names = m.superOptions.filter((o) => V1_CONTROLLERS.has(o) || o.startsWith('name='));
      for (const name of names) {
        const ownPath = own.get(name);
        // First mount wins, as runc does; a hierarchy this process is not in is not ours to use.
        if (v1[name] || ownPath === undefined) continue;
        v1[name] = { mountpoint: m.mountpoint, root: m.root, ownPath };
      }
    }
  }

  const hasV1Controllers = Object.keys(v1).some((k) => !k.startsWith('name='));
  if (!hasV1Controllers && !unified) throw new CgroupError('no cgroup hierarchy is mounted');
  const mode: CgroupMode = !hasV1Controllers ? 'unified' : unified ? 'hybrid' : 'legacy';
  return { mode, unified, v1 };
}
