import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface Mount {
  type: string;
  source: string;
  target?: string;
  options: string[];
}

export interface Usage {
  size: number;
  inodes: number;
}

/**
 * The overlayfs snapshotter's filesystem side: each snapshot is `<root>/snapshots/<id>`
 * holding `fs` (its upper layer) and `work` (overlayfs scratch). Records live in the
 * metadata database; this class only lays out directories and computes mounts.
 */
export class OverlayFs {
  constructor(readonly root: string) {
    mkdirSync(join(root, 'snapshots'), { recursive: true });
  }

  dir(id: number): string {
    return join(this.root, 'snapshots', String(id));
  }

  upperPath(id: number): string {
    return join(this.dir(id), 'fs');
  }

  create(id: number): void {
    mkdirSync(join(this.dir(id), 'fs'), { recursive: true, mode: 0o755 });
    mkdirSync(join(this.dir(id), 'work'), { mode: 0o711 });
  }

  /**
   * Removes a snapshot's directory: renamed aside at once, deleted in the background, so that
   * Snapshots.Remove (on the path of every `ctr run --rm`) does not block the daemon on a
   * recursive delete. A crash meanwhile leaves a directory without a record, which
   * removeOrphans deletes at the next start.
   */
  remove(id: number): void {
    const doomed = join(this.root, 'snapshots', `removing-${id}-${randomBytes(4).toString('hex')}`);
    try {
      renameSync(this.dir(id), doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    void rm(doomed, { recursive: true, force: true }).catch(() => {});
  }

  /** Directories with no record (left by a crash between mkdir and commit). */
  removeOrphans(known: Set<number>): number {
    let removed = 0;
    for (const name of readdirSync(join(this.root, 'snapshots'))) {
      if (!known.has(Number(name))) {
        rmSync(join(this.root, 'snapshots', name), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Mounts as upstream's overlay snapshotter returns them; parents are nearest first. */
  mounts(id: number, readonly: boolean, parents: number[]): Mount[] {
    if (parents.length === 0) {
      return [
        { type: 'bind', source: this.upperPath(id), options: [readonly ? 'ro' : 'rw', 'rbind'] },
      ];
    }
    const lower = `lowerdir=${parents.map((p) => this.upperPath(p)).join(':')}`;
    if (readonly) {
      if (parents.length === 1) {
        return [
          { type: 'bind', source: this.upperPath(parents[0] as number), options: ['ro', 'rbind'] },
        ];
      }
      return [{ type: 'overlay', source: 'overlay', options: ['index=off', lower] }];
    }
    return [
      {
        type: 'overlay',
        source: 'overlay',
        options: [
          'index=off',
          `workdir=${join(this.dir(id), 'work')}`,
          `upperdir=${this.upperPath(id)}`,
          lower,
        ],
      },
    ];
  }

  /** Disk usage of a snapshot's own layer, counting hard-linked inodes once. */
  async usage(id: number): Promise<Usage> {
    const seen = new Set<number>();
    let size = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        const st = await lstat(p);
        if (seen.has(st.ino)) continue;
        seen.add(st.ino);
        size += st.blocks * 512;
        if (e.isDirectory()) await walk(p);
      }
    };
    await walk(this.upperPath(id));
    return { size, inodes: seen.size + 1 };
  }
}
