// Namespaces to create or join, and the id maps and time offsets that go with them.
import type { IdMapping, Linux, NamespaceType } from '../spec/types';
import { SpecError } from '../spec/validate';

export const CLONE_FLAGS: Record<NamespaceType, number> = {
  mount: 0x00020000,
  time: 0x00000080,
  cgroup: 0x02000000,
  uts: 0x04000000,
  ipc: 0x08000000,
  user: 0x10000000,
  pid: 0x20000000,
  network: 0x40000000,
};

/** /proc/<pid>/ns/<name> for each namespace type. */
export const PROC_NS_NAME: Record<NamespaceType, string> = {
  mount: 'mnt',
  time: 'time',
  cgroup: 'cgroup',
  uts: 'uts',
  ipc: 'ipc',
  user: 'user',
  pid: 'pid',
  network: 'net',
};

export interface NamespacePlan {
  cloneFlags: number;
  join: { flag: number; path: string }[];
  uidMap?: string;
  gidMap?: string;
  timeOffsets?: string;
}

const mapText = (maps: IdMapping[] | undefined) =>
  maps?.length ? maps.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('') : undefined;

export function planNamespaces(linux: Linux | undefined): NamespacePlan {
  const plan: NamespacePlan = { cloneFlags: 0, join: [] };
  for (const ns of linux?.namespaces ?? []) {
    const flag = CLONE_FLAGS[ns.type];
    if (ns.path) plan.join.push({ flag, path: ns.path });
    else plan.cloneFlags |= flag;
  }
  if (plan.cloneFlags & CLONE_FLAGS.user) {
    plan.uidMap = mapText(linux?.uidMappings);
    plan.gidMap = mapText(linux?.gidMappings);
  }
  const offsets = Object.entries(linux?.timeOffsets ?? {});
  if (offsets.length) {
    if (!(plan.cloneFlags & CLONE_FLAGS.time))
      throw new SpecError('timeOffsets need a new time namespace');
    plan.timeOffsets = offsets
      .map(([clock, o]) => `${clock} ${o.secs ?? 0} ${o.nanosecs ?? 0}\n`)
      .join('');
  }
  return plan;
}

/** The host uid that container uid `id` maps to (itself without a user namespace). */
export function hostId(maps: IdMapping[] | undefined, id: number): number {
  if (!maps?.length) return id;
  const m = maps.find((x) => id >= x.containerID && id < x.containerID + x.size);
  if (!m) throw new SpecError(`id ${id} is not mapped in the user namespace`);
  return m.hostID + id - m.containerID;
}
