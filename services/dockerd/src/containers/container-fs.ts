// A container's filesystem seen from the daemon while the container is not running: its
// snapshot mounted in a private temp directory, with its volumes and binds mounted at their
// destinations (resolved inside the root), as Docker mounts them for docker cp.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { mountPoints, mountWithOptions, unmount } from '../system/mount';
import type { MountPoint } from './mounts';
import { resolveInRoot } from './resolve-in-root';
import type { Mount } from './rootfs-files';

export interface MountedFs {
  root: string;
  release(): Promise<void>;
}

export async function mountContainerFs(
  snapshot: readonly Mount[],
  parentDir: string,
  points: readonly MountPoint[] = [],
): Promise<MountedFs> {
  mkdirSync(parentDir, { recursive: true, mode: 0o700 });
  const root = mkdtempSync(join(parentDir, 'rootfs-'));
  const mounted: string[] = [];
  const release = async () => {
    for (const target of mounted.reverse()) unmount(target);
    rmdirSync(root);
  };
  try {
    for (const m of snapshot) {
      await mountWithOptions(m.source, root, m.type, m.options);
      mounted.push(root);
    }
    for (const point of points) {
      if (point.Type === 'tmpfs') continue; // a tmpfs lives only while the container runs
      const target = resolveInRoot(root, point.Destination);
      createMountTarget(target, statSync(point.Source).isDirectory());
      await mountWithOptions(point.Source, target, 'bind', ['rbind', ...(point.RW ? [] : ['ro'])]);
      mounted.push(target);
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { root, release };
}

function createMountTarget(target: string, directory: boolean) {
  if (directory) {
    mkdirSync(target, { recursive: true, mode: 0o755 });
    return;
  }
  mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
  writeFileSync(target, '', { flag: 'a' });
}

/**
 * The root docker cp works in: a running container's own view (/proc/<pid>/root, with its
 * volumes, binds and tmpfs mounts), or, for a stopped one, its snapshot and volumes mounted.
 */
export async function openContainerRoot(
  state: { running: boolean; pid: number; points: readonly MountPoint[] },
  snapshot: () => Promise<Mount[]>,
  scratchDir: string,
): Promise<MountedFs> {
  if (state.running && state.pid > 0)
    return { root: `/proc/${state.pid}/root`, release: async () => undefined };
  return mountContainerFs(await snapshot(), scratchDir, state.points);
}

/**
 * After a crash: unmounts what a request left mounted under the scratch directory, deepest
 * first, and removes the emptied directories (never recursively: a directory still mounted
 * is a container's filesystem and stays untouched).
 */
export async function cleanScratch(scratchDir: string): Promise<void> {
  const prefix = `${scratchDir}/`;
  const leftovers = mountPoints(readFileSync('/proc/self/mountinfo', 'utf8'))
    .filter((p) => p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
  for (const target of leftovers) unmount(target);
  for (const name of existsSync(scratchDir) ? readdirSync(scratchDir) : []) {
    try {
      rmdirSync(join(scratchDir, name));
    } catch {
      // not empty: something is still mounted there
    }
  }
}
