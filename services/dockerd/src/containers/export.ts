// GET /containers/{id}/export: the container's root filesystem as one tar, as Docker's
// export packs its BaseFS: the snapshot alone (no volumes, binds or /proc), mounted read-only
// in a private directory — the writable layer becomes the top lower layer, so a running
// container's overlay is not mounted a second time with the same upper directory.
import type { Readable } from 'node:stream';
import { packPath } from './archive-tar';
import { mountContainerFs } from './container-fs';
import type { Mount } from './rootfs-files';

/** The snapshot's mounts, changed to show the same tree read-only. */
export function readonlyMounts(mounts: readonly Mount[]): Mount[] {
  return mounts.map((mount) => {
    if (mount.type !== 'overlay') return { ...mount, options: [...mount.options, 'ro'] };
    const option = (name: string) =>
      mount.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
    const upper = option('upperdir');
    const lower = option('lowerdir');
    const lowers = [upper, lower].filter((dir) => dir !== undefined).join(':');
    const kept = mount.options.filter((o) => !/^(upperdir|workdir|lowerdir)=/.test(o));
    return { ...mount, options: [...kept, `lowerdir=${lowers}`, 'ro'] };
  });
}

/** Hands the tar of the snapshot `mounts` describe to `deliver`, then unmounts it. */
export async function exportRootfs(
  mounts: readonly Mount[],
  scratchDir: string,
  deliver: (tar: Readable) => Promise<void>,
): Promise<void> {
  const fs = await mountContainerFs(readonlyMounts(mounts), scratchDir);
  try {
    await deliver(packPath(fs.root, '.'));
  } finally {
    await fs.release();
  }
}
