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

  remove(id: string): void {
    rmSync(this.dir(id), { recursive: true, force: true });
  }
}
