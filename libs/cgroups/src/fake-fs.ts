import { posix } from 'node:path';
import { fsError } from './errors';
import type { CgroupFs, DirEntry } from './fs';

export interface FakeCgroupFsOptions {
  /** Called after a directory is created, to populate it as cgroupfs would (interface files). */
  onMkdir?: (path: string, fs: FakeCgroupFs) => void;
  /**
   * Called before a write is stored; throw an errno-shaped error ({ code: 'EINVAL' }) to refuse
   * it, or return a string to store instead of the written value (as the kernel normalizes).
   */
  onWrite?: (path: string, value: string, fs: FakeCgroupFs) => string | void;
  /** Files that refuse reads with EINVAL, as the kernel's write-only ones (cgroup.kill) do. */
  writeOnly?: RegExp;
}

const errno = (code: string) => Object.assign(new Error(code), { code });

/** An in-memory cgroupfs for unit tests: records every write, can inject kernel refusals. */
export class FakeCgroupFs implements CgroupFs {
  readonly writes: { path: string; value: string }[] = [];
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/']);
  private readonly failures = new Map<string, string>();

  constructor(private readonly options: FakeCgroupFsOptions = {}) {}

  /** Creates (or overwrites) a file and any missing parent directories. */
  setFile(path: string, content: string): void {
    this.addDir(posix.dirname(path));
    this.files.set(path, content);
  }

  addDir(path: string): void {
    for (let p = path; !this.dirs.has(p); p = posix.dirname(p)) this.dirs.add(p);
  }

  content(path: string): string | undefined {
    return this.files.get(path);
  }

  hasDir(path: string): boolean {
    return this.dirs.has(path);
  }

  /** The next write to `path` fails with errno `code`. */
  failNextWrite(path: string, code: string): void {
    this.failures.set(path, code);
  }

  async readFile(path: string): Promise<string> {
    if (this.options.writeOnly?.test(path)) throw fsError('read', path, errno('EINVAL'));
    const content = this.files.get(path);
    if (content === undefined) {
      throw fsError('read', path, errno(this.dirs.has(path) ? 'EISDIR' : 'ENOENT'));
    }
    return content;
  }

  async writeFile(path: string, value: string): Promise<void> {
    const injected = this.failures.get(path);
    if (injected) {
      this.failures.delete(path);
      throw fsError('write', path, errno(injected), value);
    }
    // cgroupfs files cannot be created by writing: only existing interface files take writes.
    if (!this.files.has(path)) throw fsError('write', path, errno('ENOENT'), value);
    let stored = value;
    try {
      stored = this.options.onWrite?.(path, value, this) ?? value;
    } catch (err) {
      throw fsError('write', path, err, value);
    }
    this.writes.push({ path, value });
    this.files.set(path, stored);
  }

  async mkdir(path: string): Promise<void> {
    if (this.dirs.has(path) || this.files.has(path)) throw fsError('mkdir', path, errno('EEXIST'));
    if (!this.dirs.has(posix.dirname(path))) throw fsError('mkdir', path, errno('ENOENT'));
    this.dirs.add(path);
    this.options.onMkdir?.(path, this);
  }

  async rmdir(path: string): Promise<void> {
    if (!this.dirs.has(path)) throw fsError('rmdir', path, errno('ENOENT'));
    if (this.children(path).some((e) => e.isDirectory)) {
      throw fsError('rmdir', path, errno('ENOTEMPTY'));
    }
    // Like cgroupfs: a cgroup with member processes cannot be removed.
    const procs = this.files.get(posix.join(path, 'cgroup.procs')) ?? '';
    if (procs.trim() !== '') throw fsError('rmdir', path, errno('EBUSY'));
    for (const file of [...this.files.keys()]) {
      if (posix.dirname(file) === path) this.files.delete(file);
    }
    this.dirs.delete(path);
  }

  async exists(path: string): Promise<boolean> {
    return this.dirs.has(path) || this.files.has(path);
  }

  async readdir(path: string): Promise<DirEntry[]> {
    if (!this.dirs.has(path)) throw fsError('readdir', path, errno('ENOENT'));
    return this.children(path);
  }

  private children(path: string): DirEntry[] {
    const entries: DirEntry[] = [];
    for (const d of this.dirs) {
      if (d !== path && posix.dirname(d) === path) {
        entries.push({ name: posix.basename(d), isDirectory: true });
      }
    }
    for (const f of this.files.keys()) {
      if (posix.dirname(f) === path) entries.push({ name: posix.basename(f), isDirectory: false });
    }
    return entries;
  }
}
