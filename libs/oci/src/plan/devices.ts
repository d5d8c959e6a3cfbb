// /dev content: runc's default device nodes, the spec's devices, and the /dev symlinks.
import type { Device, Mount } from '../spec/types';
import type { PlanDevice } from './types';

const DEFAULT_DEVICES: [string, number, number][] = [
  ['/dev/null', 1, 3],
  ['/dev/zero', 1, 5],
  ['/dev/full', 1, 7],
  ['/dev/random', 1, 8],
  ['/dev/urandom', 1, 9],
  ['/dev/tty', 5, 0],
];

export interface DevicePlan {
  devices: PlanDevice[];
  symlinks: { target: string; path: string }[];
}

/** `rootUid`/`rootGid`: host ids of the container's root, owners of the default nodes. */
export function planDevices(
  devices: readonly Device[] | undefined,
  mounts: readonly Mount[] | undefined,
  rootUid: number,
  rootGid: number,
  hostHasKcore: boolean,
): DevicePlan {
  // A bind-mounted /dev is the host's business; runc leaves it alone too.
  const devIsBind = mounts?.some(
    (m) =>
      m.destination === '/dev' && (m.type === 'bind' || m.options?.some((o) => /^r?bind$/.test(o))),
  );
  if (devIsBind) return { devices: [], symlinks: [] };
  const configured = (devices ?? []).map((d): PlanDevice => ({
    path: d.path,
    type: d.type === 'u' ? 'c' : d.type,
    major: d.major ?? 0,
    minor: d.minor ?? 0,
    mode: d.fileMode ?? 0o666,
    uid: d.uid ?? 0,
    gid: d.gid ?? 0,
  }));
  const defaults = DEFAULT_DEVICES.filter(([path]) => !configured.some((d) => d.path === path)).map(
    ([path, major, minor]): PlanDevice => ({
      path,
      type: 'c',
      major,
      minor,
      mode: 0o666,
      uid: rootUid,
      gid: rootGid,
    }),
  );
  const symlinks = [
    { target: '/proc/self/fd', path: '/dev/fd' },
    { target: '/proc/self/fd/0', path: '/dev/stdin' },
    { target: '/proc/self/fd/1', path: '/dev/stdout' },
    { target: '/proc/self/fd/2', path: '/dev/stderr' },
    { target: 'pts/ptmx', path: '/dev/ptmx' },
  ];
  if (hostHasKcore) symlinks.push({ target: '/proc/kcore', path: '/dev/core' });
  return { devices: [...defaults, ...configured], symlinks };
}
