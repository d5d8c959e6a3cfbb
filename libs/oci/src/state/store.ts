// The container state directory (<root>/<id>/): our record of a container, written
// atomically, and the status runc reports for it derived from the live process. The file calls
// are synchronous behind async methods: a few small files (the root is tmpfs, /run/... as
// runc's), where each asynchronous call would cost a thread-pool round trip on the path of
// every create, start and delete in a long-lived shim.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../spec/types';

export type Status = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface ContainerRecord {
  id: string;
  pid: number;
  /** /proc/<pid>/stat start time, so a reused pid is never mistaken for the container. */
  startTime: string;
  bundle: string;
  rootfs: string;
  created: string;
  owner: string;
  cgroupsPath: string;
  spec: Spec;
}

/** What `state` prints, field for field as runc. */
export interface OciState {
  ociVersion: string;
  id: string;
  pid: number;
  status: Status;
  bundle: string;
  rootfs: string;
  created: string;
  owner: string;
  annotations?: Record<string, string>;
}

export class ContainerNotFound extends Error {
  override name = 'ContainerNotFound';
  constructor(id: string) {
    super(`container does not exist`);
    this.message = `container "${id}" does not exist`;
  }
}

const VALID_ID = /^[\w+\-.]+$/;

export function checkId(id: string): void {
  if (!VALID_ID.test(id) || id === '.' || id === '..') throw new Error(`invalid id format: ${id}`);
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone or a zombie. */
export function processStartTime(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export class StateStore {
  constructor(readonly root: string) {}

  dir(id: string): string {
    checkId(id);
    return join(this.root, id);
  }

  fifo(id: string): string {
    return join(this.dir(id), 'exec.fifo');
  }

  /** Claims the id: fails when a container of that name exists (mkdir is the lock). */
  async reserve(id: string): Promise<void> {
    mkdirSync(this.root, { recursive: true, mode: 0o711 });
    try {
      mkdirSync(this.dir(id), { mode: 0o711 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new Error(`container with id exists: ${id}`);
      throw err;
    }
  }

  async save(rec: ContainerRecord): Promise<void> {
    const file = join(this.dir(rec.id), 'state.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(rec));
    renameSync(`${file}.tmp`, file);
  }

  async load(id: string): Promise<ContainerRecord> {
    try {
      return JSON.parse(readFileSync(join(this.dir(id), 'state.json'), 'utf8')) as ContainerRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ContainerNotFound(id);
      throw err;
    }
  }

  async list(): Promise<string[]> {
    try {
      return readdirSync(this.root)
        .filter((n) => VALID_ID.test(n))
        .sort();
    } catch {
      return [];
    }
  }

  async remove(id: string): Promise<void> {
    rmSync(this.dir(id), { recursive: true, force: true });
  }

  /** created while the exec fifo exists, running after; stopped once the process is gone. */
  async status(rec: ContainerRecord, frozen: boolean): Promise<Status> {
    if (processStartTime(rec.pid) !== rec.startTime) return 'stopped';
    if (frozen) return 'paused';
    return existsSync(this.fifo(rec.id)) ? 'created' : 'running';
  }
}

export function ociState(rec: ContainerRecord, status: Status): OciState {
  const state: OciState = {
    ociVersion: rec.spec.ociVersion,
    id: rec.id,
    pid: status === 'stopped' ? 0 : rec.pid,
    status,
    bundle: rec.bundle,
    rootfs: rec.rootfs,
    created: rec.created,
    owner: rec.owner,
  };
  if (rec.spec.annotations && Object.keys(rec.spec.annotations).length)
    state.annotations = rec.spec.annotations;
  return state;
}
