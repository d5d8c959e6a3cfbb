// One JSON document per key in a directory. Writes go to a temporary file that is synced and
// renamed into place, so a crash leaves either the old or the new document, never half of one.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class JsonDir<T> {
  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid store key: ${key}`);
    return join(this.dir, `${key}.json`);
  }

  async get(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async put(key: string, value: T): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const final = this.pathOf(key);
    const tmp = join(this.dir, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
    const file = await open(tmp, 'w', 0o600);
    try {
      await file.writeFile(JSON.stringify(value, null, 2));
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(tmp, final);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Every stored document; temporary files of interrupted writes are removed on the way. */
  async list(): Promise<T[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: T[] = [];
    for (const name of names) {
      if (name.endsWith('.tmp')) await unlink(join(this.dir, name)).catch(() => {});
      else if (name.endsWith('.json')) {
        const value = await this.get(name.slice(0, -'.json'.length));
        if (value !== undefined) out.push(value);
      }
    }
    return out;
  }
}
