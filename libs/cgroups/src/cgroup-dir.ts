import { posix } from 'node:path';
import { CgroupError, isCode } from './errors';
import type { CgroupFs } from './fs';

/** One cgroup directory: reads and writes its interface files by name. */
export class CgroupDir {
  constructor(
    readonly fs: CgroupFs,
    readonly dir: string,
  ) {}

  file(name: string): string {
    return posix.join(this.dir, name);
  }

  read(name: string): Promise<string> {
    return this.fs.readFile(this.file(name));
  }

  /** The file's content, or undefined when the file (its controller) is absent. */
  async tryRead(name: string): Promise<string | undefined> {
    try {
      return await this.read(name);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
  }

  /** Whether the file exists (its controller or feature is there). */
  has(name: string): Promise<boolean> {
    return this.fs.exists(this.file(name));
  }

  /** Writes a value; a missing file means its controller is not there, which the error says. */
  async write(name: string, value: string): Promise<void> {
    try {
      await this.fs.writeFile(this.file(name), value);
    } catch (err) {
      if (isCode(err, 'ENOENT') && err instanceof CgroupError) {
        const controller = name.split('.')[0];
        const hint = `${err.message}; the ${controller} controller is not available in this cgroup`;
        throw Object.assign(new CgroupError(hint, err.code, err.path), { cause: err });
      }
      throw err;
    }
  }
}
