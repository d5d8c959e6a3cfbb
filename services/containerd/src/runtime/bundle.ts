import { rmdirSync, rmSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MNT_DETACH, unmountAll } from '@berth/oci/mount';
import { invalidArgument } from '../core/errdefs';

/** Upstream's runtime v2 plugin id: names both the state and the root (work) directories. */
export const TASK_PLUGIN_DIR = 'io.containerd.runtime.v2.task';

// Namespaces and ids become path components: refuse anything that could leave the root.
const SAFE_COMPONENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface BundlePaths {
  path: string;
  work: string;
}

export function bundlePaths(state: string, root: string, ns: string, id: string): BundlePaths {
  for (const part of [ns, id])
    if (!SAFE_COMPONENT.test(part) || part.includes('..'))
      throw invalidArgument(`invalid task id ${JSON.stringify(part)}`);
  return {
    path: join(state, TASK_PLUGIN_DIR, ns, id),
    work: join(root, TASK_PLUGIN_DIR, ns, id),
  };
}

/**
 * Lays out a bundle as runtime/v2/bundle.go does: config.json holding the OCI spec, an empty
 * rootfs for the shim to mount onto, and `work` linking to the per-task directory under root.
 */
export async function createBundle(paths: BundlePaths, spec: Uint8Array): Promise<void> {
  await mkdir(join(paths.path, '..'), { recursive: true, mode: 0o711 });
  await mkdir(paths.path, { mode: 0o700 });
  try {
    await mkdir(join(paths.path, 'rootfs'), { mode: 0o711 });
    await mkdir(paths.work, { recursive: true, mode: 0o711 });
    await symlink(paths.work, join(paths.path, 'work'));
    await writeFile(join(paths.path, 'config.json'), spec);
  } catch (err) {
    removeBundle(paths);
    throw err;
  }
}

/**
 * Removes a bundle as runtime/v2/bundle.go does: whatever is still mounted on rootfs (a shim
 * that died before unmounting) is detached and rootfs removed on its own, so no recursive
 * removal ever reaches into a container's files; then the rest. Synchronous: a handful of
 * small files, where each asynchronous call costs a thread-pool round trip.
 */
export function removeBundle(paths: BundlePaths): void {
  const rootfs = join(paths.path, 'rootfs');
  unmountAll(rootfs, MNT_DETACH);
  try {
    rmdirSync(rootfs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  rmSync(paths.work, { recursive: true, force: true });
  rmSync(paths.path, { recursive: true, force: true });
}
