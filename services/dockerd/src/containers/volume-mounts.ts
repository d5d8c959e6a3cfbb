// The volumes and binds of containers: creating the volumes a new container names (and its
// anonymous ones), copying the image's content into empty volumes (copy-up), mounting volumes
// with driver options and Binds sources before a start, and removing anonymous volumes with
// their container (docker rm -v, --rm).
import { existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import type { VolumeStore } from '../volumes/store';
import { mountContainerFs } from './container-fs';
import { copyTree } from './copy-tree';
import { parseMounts, type MountPoint, type MountRequest } from './mounts';
import { resolveInRoot } from './resolve-in-root';
import type { Mount } from './rootfs-files';

/** The containers among `containers` whose mounts name the volume. */
export function volumeUsers<T extends { record: { MountPoints?: MountPoint[] } }>(
  containers: readonly T[],
  name: string,
): T[] {
  return containers.filter((c) =>
    c.record.MountPoints?.some((m) => m.Type === 'volume' && m.Name === name),
  );
}

export class ContainerMounts {
  constructor(
    private readonly volumes: VolumeStore,
    /** Where image roots are mounted for copy-up. */
    private readonly scratchDir: string,
    /** Whether a running container mounts the volume. */
    private readonly volumeActive: (name: string) => boolean,
  ) {}

  /** Parses the request's mounts and creates the volumes they need; nothing is left on failure. */
  resolve(request: MountRequest): MountPoint[] {
    const points = parseMounts(request, existsSync);
    const created: string[] = [];
    try {
      for (const point of points) {
        if (point.Type !== 'volume') continue;
        const existing = point.Name ? this.volumes.find(point.Name) : undefined;
        const volume =
          existing ??
          this.volumes.create({
            Name: point.Name,
            Driver: point.Driver,
            Labels: point.VolumeLabels,
            DriverOpts: point.VolumeOptions,
          });
        if (!existing) created.push(volume.Name);
        point.Name = volume.Name;
        point.Source = this.volumes.dataPath(volume.Name);
      }
    } catch (err) {
      // fresh volumes have nothing mounted: removing them is only a rename and an rm
      for (const name of created)
        void this.volumes.remove(name, { force: true }).catch(() => undefined);
      throw err;
    }
    return points;
  }

  /** Fills each new, empty volume with what the image has at its destination, unless nocopy. */
  async copyUp(points: readonly MountPoint[], snapshot: readonly Mount[]): Promise<void> {
    const targets = points.filter(
      (p) => p.Type === 'volume' && p.CopyData && readdirSync(p.Source).length === 0,
    );
    if (targets.length === 0) return;
    const fs = await mountContainerFs(snapshot, this.scratchDir);
    try {
      for (const point of targets) {
        const source = resolveInRoot(fs.root, point.Destination);
        if (!isDirectory(source)) continue;
        await this.volumes.activate(point.Name);
        if (readdirSync(point.Source).length === 0) await copyTree(source, point.Source);
      }
    } finally {
      await fs.release();
    }
  }

  /** Before a start: volumes with mount options mounted, missing Binds sources created. */
  async activate(points: readonly MountPoint[]): Promise<void> {
    for (const point of points) {
      if (point.Type === 'volume') await this.volumes.activate(point.Name);
      if (point.Type === 'bind' && point.CreateSource && !existsSync(point.Source))
        mkdirSync(point.Source, { recursive: true, mode: 0o755 });
    }
  }

  /** After an exit: volumes with mount options no running container uses are unmounted. */
  async deactivate(points: readonly MountPoint[]): Promise<void> {
    for (const point of points) {
      if (point.Type === 'volume' && !this.volumeActive(point.Name))
        await this.volumes.deactivate(point.Name);
    }
  }

  /** After the container is gone: its anonymous volumes too, when asked (named ones stay). */
  async release(points: readonly MountPoint[], removeAnonymous: boolean): Promise<void> {
    if (!removeAnonymous) return;
    for (const point of points) {
      if (point.Type !== 'volume' || point.Named) continue;
      // another container that names it (-v <id>:/path) keeps it alive
      await this.volumes.remove(point.Name, { force: true }).catch(() => undefined);
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
