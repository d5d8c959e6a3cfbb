// Container records on disk: <data-root>/containers/<id>/config.v2.json, replaced
// atomically (write to a temp file, fsync, rename) so a crash leaves the old or new record.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerRecord } from './record';

const RECORD_FILE = 'config.v2.json';

export class RecordStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o710 });
  }

  dir(id: string): string {
    return join(this.root, id);
  }

  save(record: ContainerRecord): void {
    const dir = this.dir(record.Id);
    mkdirSync(dir, { recursive: true, mode: 0o710 });
    const tmp = join(dir, `.${RECORD_FILE}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(record));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(dir, RECORD_FILE));
  }

  loadAll(): ContainerRecord[] {
    const records: ContainerRecord[] = [];
    for (const id of readdirSync(this.root)) {
      if (id.startsWith('.')) {
        // a removal the daemon did not finish
        rmSync(join(this.root, id), { recursive: true, force: true });
        continue;
      }
      try {
        records.push(
          JSON.parse(readFileSync(join(this.root, id, RECORD_FILE), 'utf8')) as ContainerRecord,
        );
      } catch {
        // a directory without a complete record is the residue of a failed create
        rmSync(join(this.root, id), { recursive: true, force: true });
      }
    }
    return records;
  }

  /**
   * Renames the container's directory out of the way (a dot name, which loadAll never reads as
   * a container and clears if left) and deletes its files in the background: its log and the
   * files written at create are not on the path of `docker rm`. Settles when they are gone.
   */
  remove(id: string): Promise<void> {
    const removing = join(this.root, `.${id}.removing`);
    try {
      renameSync(this.dir(id), removing);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve();
      throw err;
    }
    return rm(removing, { recursive: true, force: true });
  }
}
