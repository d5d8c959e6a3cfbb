// What survives a server restart: one JSON file per container in its bundle (written by
// rename, so never half-written) and a registry of the group's containers. Written with
// synchronous calls: small files under containerd's state directory (tmpfs), rewritten on every
// create, start and exit, where each asynchronous call would cost a thread-pool round trip.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeConfig } from './runtime';

export type ProcessStatus = 'created' | 'running' | 'stopped';

export interface ProcessState {
  /** "" for the container's init process. */
  execId: string;
  pid: number;
  monitorPid: number;
  control: string;
  exitFile: string;
  pidFile: string;
  terminal: boolean;
  stdin: string;
  stdout: string;
  stderr: string;
  status: ProcessStatus;
  exitStatus?: number;
  exitedAt?: string;
  /** Whether containerd was told of the exit (so a restarted server tells it at most once more). */
  exitPublished?: boolean;
  /** An exec's OCI process spec, as containerd sent it. */
  processFile?: string;
}

export interface ContainerState {
  id: string;
  namespace: string;
  bundle: string;
  runtime: RuntimeConfig;
  /** Whether the shim mounted the rootfs (and must unmount it). */
  rootfsMounted: boolean;
  paused: boolean;
  init: ProcessState;
  execs: Record<string, ProcessState>;
}

export const STATE_FILE = 'berth-shim.json';

export async function saveState(state: ContainerState): Promise<void> {
  const file = join(state.bundle, STATE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

export async function loadState(bundle: string): Promise<ContainerState | undefined> {
  try {
    return JSON.parse(await readFile(join(bundle, STATE_FILE), 'utf8')) as ContainerState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The group's containers: `<dir>/containers/<id>` links to the bundle. */
export class Registry {
  private readonly dir: string;

  constructor(groupDir: string) {
    this.dir = join(groupDir, 'containers');
  }

  async add(id: string, bundle: string): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    rmSync(join(this.dir, id), { force: true });
    symlinkSync(bundle, join(this.dir, id));
  }

  async remove(id: string): Promise<void> {
    rmSync(join(this.dir, id), { force: true });
  }

  async bundles(): Promise<string[]> {
    let ids: string[];
    try {
      ids = await readdir(this.dir);
    } catch {
      return [];
    }
    return Promise.all(ids.map((id) => readlink(join(this.dir, id))));
  }
}
