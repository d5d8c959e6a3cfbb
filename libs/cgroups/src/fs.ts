import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * The real cgroupfs through node:fs. The calls are synchronous behind the promise interface:
 * cgroupfs is served by the kernel from memory, so each call takes microseconds, where an
 * asynchronous one costs a thread-pool round trip, and a container's creation makes dozens in
 * chains (mkdir -p per hierarchy, then the limits). The cost: like runc's, a write that lowers
 * a memory limit below the usage waits for the kernel's reclaim, here holding the event loop.
 */
export class NodeCgroupFs implements CgroupFs {
  async readFile(path: string): Promise<string> {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw fsError('read', path, err);
    }
  }

  async writeFile(path: string, value: string): Promise<void> {
    try {
      writeFileSync(path, value);
    } catch (err) {
      throw fsError('write', path, err, value);
    }
  }

  async mkdir(path: string): Promise<void> {
    try {
      mkdirSync(path);
    } catch (err) {
      throw fsError('mkdir', path, err);
    }
  }

  async rmdir(path: string): Promise<void> {
    try {
      rmdirSync(path);
    } catch (err) {
      throw fsError('rmdir', path, err);
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      return statSync(path, { throwIfNoEntry: false }) !== undefined;
    } catch (err) {
      const { code } = err as NodeJS.ErrnoException;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw fsError('stat', path, err);
    }
  }

  async readdir(path: string): Promise<DirEntry[]> {
    try {
      const entries = readdirSync(path, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch (err) {
      throw fsError('readdir', path, err);
    }
  }
}
