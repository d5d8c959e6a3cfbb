// The spec's mounts, resolved: bind sources made absolute against the bundle, options split
// into flags, and a `cgroup` mount expanded for the host's cgroup layout.
import { isAbsolute, resolve } from 'node:path';
import type { Mount } from '../spec/types';
import { MS, parseMountOptions } from './mount-options';
import type { PlanMount } from './types';

/** The v1 hierarchies a container sees under /sys/fs/cgroup: directory name and mount data. */
export interface CgroupLayout {
  unified: boolean;
  v1: { name: string; options: string }[];
}

function cgroupMounts(m: Mount, flags: number, layout: CgroupLayout): PlanMount[] {
  const dest = m.destination;
  if (layout.unified) {
    return [
      { source: 'cgroup', destination: dest, type: 'cgroup2', flags, propagation: 0, data: '' },
    ];
  }
  // As runc on v1: a tmpfs holding one cgroup mount per hierarchy.
  const tmpfs: PlanMount = {
    source: 'tmpfs',
    destination: dest,
    type: 'tmpfs',
    flags: flags & ~MS.RDONLY,
    propagation: 0,
    data: 'mode=755',
  };
  return [
    tmpfs,
    ...layout.v1.map((h) => ({
      source: 'cgroup',
      destination: `${dest}/${h.name}`,
      type: 'cgroup',
      flags,
      propagation: 0,
      data: h.options,
    })),
  ];
}

export function planMounts(
  mounts: readonly Mount[] | undefined,
  bundle: string,
  layout: CgroupLayout,
): PlanMount[] {
  const out: PlanMount[] = [];
  for (const m of mounts ?? []) {
    const { flags, propagation, data } = parseMountOptions(m.options);
    const type = m.type ?? (flags & MS.BIND ? 'none' : '');
    const bind = (flags & MS.BIND) !== 0 || type === 'bind';
    if (type === 'cgroup' || type === 'cgroup2') {
      out.push(...cgroupMounts(m, flags, layout));
      continue;
    }
    const source = m.source ?? type;
    out.push({
      source: bind && !isAbsolute(source) ? resolve(bundle, source) : source,
      destination: m.destination,
      type: bind ? 'none' : type,
      flags: bind ? flags | MS.BIND : flags,
      propagation,
      data,
    });
  }
  return out;
}
