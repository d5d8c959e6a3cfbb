// File changes that can be undone: each write goes to a temporary name and is renamed into
// place (never a half-written unit or link), and remembers what it replaced so that a failed
// install restores the machine as it found it.
import {
  lstatSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';

export type Undo = () => void | Promise<void>;

/** What is at `path` now, enough to put it back. */
type Previous =
  | { kind: 'none' }
  | { kind: 'link'; target: string }
  | { kind: 'file'; content: Buffer; mode: number };

function previousAt(path: string): Previous {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return { kind: 'none' };
  }
  if (st.isSymbolicLink()) return { kind: 'link', target: readlinkSync(path) };
  if (st.isFile()) return { kind: 'file', content: readFileSync(path), mode: st.mode & 0o7777 };
  throw new Error(`${path} exists and is not a file or symlink`);
}

function restore(path: string, prev: Previous): void {
  rmSync(path, { force: true });
  if (prev.kind === 'link') symlinkSync(prev.target, path);
  if (prev.kind === 'file') writeFileSync(path, prev.content, { mode: prev.mode });
}

function placeAtomically(path: string, create: (tmp: string) => void): Undo {
  const prev = previousAt(path);
  const tmp = `${path}.berth-new`;
  rmSync(tmp, { force: true });
  create(tmp);
  renameSync(tmp, path);
  return () => restore(path, prev);
}

export function placeLink(path: string, target: string): Undo {
  return placeAtomically(path, (tmp) => symlinkSync(target, tmp));
}

export function placeFile(path: string, content: string, mode = 0o644): Undo {
  return placeAtomically(path, (tmp) => writeFileSync(tmp, content, { mode }));
}

/** Removes each directory, innermost first, while it is empty. */
export function removeEmptyDirs(dirs: readonly string[]): void {
  for (const d of [...dirs].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      // not empty (something else lives there now) or already gone: keep it
    }
  }
}

export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function isExecutableFile(path: string): boolean {
  try {
    return statSync(path).isFile() && (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
