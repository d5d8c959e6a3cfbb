import { mkdirSync, renameSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MNT_DETACH, unmountAll } from '@berth/oci/mount';
import { invalidArgument } from '../core/errdefs';

/** Upstream's runtime v2 plugin id: names both the state and the root (work) directories. */
export const TASK_PLUGIN_DIR = 'io.containerd.runtime.v2.task';
/** Beside TASK_PLUGIN_DIR under both state and root (so on the same file systems): where removed
 * bundles wait to be deleted. */
const TRASH_DIR = `${TASK_PLUGIN_DIR}.trash`;

// Namespaces and ids become path components: refuse anything that could leave the root.
const SAFE_COMPONENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface BundlePaths {
  path: string;
  work: string;
  /** The trash directories for `path` and for `work`. */
  trash: [string, string];
}

export function bundlePaths(state: string, root: string, ns: string, id: string): BundlePaths {
  for (const part of [ns, id])
    if (!SAFE_COMPONENT.test(part) || part.includes('..'))
      throw invalidArgument(`invalid task id ${JSON.stringify(part)}`);
  return {
    path: join(state, TASK_PLUGIN_DIR, ns, id),
    work: join(root, TASK_PLUGIN_DIR, ns, id),
    trash: [join(state, TRASH_DIR), join(root, TRASH_DIR)],
  };
}

/**
 * Lays out a bundle as runtime/v2/bundle.go does: config.json holding the OCI spec, an empty
 * rootfs for the shim to mount onto, and `work` linking to the per-task directory under root.
 * Synchronous: a handful of small files, where each asynchronous call costs a thread-pool
 * round trip on the path of Tasks.Create.
 */
export function createBundle(paths: BundlePaths, spec: Uint8Array): void {
  mkdirSync(join(paths.path, '..'), { recursive: true, mode: 0o711 });
  mkdirSync(paths.path, { mode: 0o700 });
  try {
    mkdirSync(join(paths.path, 'rootfs'), { mode: 0o711 });
    mkdirSync(paths.work, { recursive: true, mode: 0o711 });
    symlinkSync(paths.work, join(paths.path, 'work'));
    writeFileSync(join(paths.path, 'config.json'), spec);
  } catch (err) {
    void removeBundle(paths).catch(() => undefined);
    throw err;
  }
}

/**
 * Removes a bundle as runtime/v2/bundle.go does: whatever is still mounted on rootfs (a shim
 * that died before unmounting) is detached and rootfs removed on its own, so no recursive
 * removal ever reaches into a container's files. Then, like upstream's atomicDelete, the bundle
 * and its work directory are renamed away, into the trash: both paths are free for a new task
 * when this returns. Their files are deleted afterwards, off the path of the Delete call; the
 * returned promise settles when they are gone (and rejects, removing nothing, when rootfs
 * could not be taken out first).
 */
export async function removeBundle(paths: BundlePaths): Promise<void> {
  // Everything before the first await runs within the call: the paths are free on return.
  const rootfs = join(paths.path, 'rootfs');
  unmountAll(rootfs, MNT_DETACH);
  try {
    rmdirSync(rootfs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const moved = [paths.path, paths.work].map((dir, i) => moveToTrash(dir, paths.trash[i]!));
  await Promise.all(moved.map((dir) => dir && rm(dir, { recursive: true, force: true })));
}

/** Renames `dir` into `trash`; where that cannot be done (another file system), removes it now.
 * Returns where it went, or nothing when it is gone already. */
function moveToTrash(dir: string, trash: string): string | undefined {
  const to = join(trash, `${basename(dir)}-${process.hrtime.bigint()}`);
  try {
    mkdirSync(trash, { recursive: true, mode: 0o700 });
    renameSync(dir, to);
    return to;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

/** Deletes what a daemon that stopped mid-removal left in the trash. */
export async function emptyTrash(state: string, root: string): Promise<void> {
  await Promise.all(
    [state, root].map((dir) => rm(join(dir, TRASH_DIR), { recursive: true, force: true })),
  );
}
