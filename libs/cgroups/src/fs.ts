import { mkdir, readFile, readdir, rmdir, stat, writeFile } from 'node:fs/promises';
import { fsError } from './errors';

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

/**
 * Everything the managers do to cgroupfs goes through this, so unit tests run on a fake.
 * Every method rejects with a CgroupError that names the file (and value for writes).
 */
export interface CgroupFs {
  readFile(path: string): Promise<string>;
  /** One write(2) of `value`, as the kernel parses each write on its own. */
  writeFile(path: string, value: string): Promise<void>;
  /** Creates one directory; EEXIST if present. */
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<DirEntry[]>;
  /** Whether a file or directory is there (write-only files such as cgroup.kill too). A stat,
   * not a listing: a parent cgroup lists every child and control file. */
  exists(path: string): Promise<boolean>;
}

/** The real cgroupfs through node:fs. */
export class NodeCgroupFs implements CgroupFs {
  async readFile(path: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw fsError('read', path, err);
    }
  }

  async writeFile(path: string, value: string): Promise<void> {
    try {
      await writeFile(path, value);
    } catch (err) {
      throw fsError('write', path, err, value);
    }
  }

  async mkdir(path: string): Promise<void> {
    try {
      await mkdir(path);
    } catch (err) {
      throw fsError('mkdir', path, err);
    }
  }

  async rmdir(path: string): Promise<void> {
    try {
      await rmdir(path);
    } catch (err) {
      throw fsError('rmdir', path, err);
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (err) {
      const { code } = err as NodeJS.ErrnoException;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw fsError('stat', path, err);
    }
  }

  async readdir(path: string): Promise<DirEntry[]> {
    try {
      const entries = await readdir(path, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch (err) {
      throw fsError('readdir', path, err);
    }
  }
}
