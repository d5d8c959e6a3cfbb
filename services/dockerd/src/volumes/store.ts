// Volumes of Docker's local driver: <data-root>/volumes/<name>/_data, with the volume's
// record beside it. A volume appears whole or not at all: it is built in a temp directory
// and renamed into place.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, invalidParameter, notFound } from '../api/errors';
import type { EventBus } from '../events/bus';
import { unmount } from '../system/mount';
import { hasMountOptions, mountLocal, validateLocalOptions } from './local-options';

export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';
const RECORD_FILE = 'volume.json';
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export interface Volume {
  Name: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  CreatedAt: string;
}

export interface CreateVolume {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

function validateVolumeName(name: string): void {
  if (name.length === 1)
    throw invalidParameter(
      `volume name is too short, names should be at least two alphanumeric characters`,
    );
  if (!NAME.test(name))
    throw invalidParameter(
      `"${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
}

export const isAnonymous = (volume: Volume) => !!volume.Labels && ANONYMOUS_LABEL in volume.Labels;

export class VolumeStore {
  constructor(
    readonly root: string,
    /** IDs of the containers whose mounts name the volume. */
    private readonly usersOf: (name: string) => string[],
    private readonly events?: EventBus,
  ) {
    mkdirSync(root, { recursive: true, mode: 0o701 });
  }

  dataPath(name: string): string {
    return join(this.root, name, '_data');
  }

  /** Creates the volume, or returns the one of that name (creation is idempotent, as Docker's). */
  create(request: CreateVolume): Volume {
    const driver = request.Driver || 'local';
    if (driver !== 'local')
      throw notFound(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    const anonymous = !request.Name;
    const name = request.Name || randomBytes(32).toString('hex');
    try {
      validateVolumeName(name);
    } catch (err) {
      throw invalidParameter(`create ${name}: ${(err as Error).message}`);
    }
    const existing = this.find(name);
    if (existing) return existing;
    validateLocalOptions(request.DriverOpts);
    const volume: Volume = {
      Name: name,
      Driver: driver,
      Labels: anonymous ? { ...request.Labels, [ANONYMOUS_LABEL]: '' } : (request.Labels ?? null),
      Options: request.DriverOpts ?? null,
      CreatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    const tmp = join(this.root, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      mkdirSync(join(tmp, '_data'), { recursive: true, mode: 0o755 });
      writeFileSync(join(tmp, RECORD_FILE), JSON.stringify(volume), { mode: 0o600 });
      renameSync(tmp, join(this.root, name));
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      // Another request created it first: theirs stands.
      const raced = this.find(name);
      if (raced) return raced;
      throw err;
    }
    this.publish('create', volume);
    return volume;
  }

  private publish(action: string, volume: Volume) {
    this.events?.publish({
      Type: 'volume',
      Action: action,
      Actor: { ID: volume.Name, Attributes: { driver: volume.Driver } },
    });
  }

  find(name: string): Volume | undefined {
    if (!NAME.test(name)) return undefined;
    try {
      return JSON.parse(readFileSync(join(this.root, name, RECORD_FILE), 'utf8')) as Volume;
    } catch {
      return undefined;
    }
  }

  get(name: string): Volume {
    const volume = this.find(name);
    if (!volume) throw notFound(`get ${name}: no such volume`);
    return volume;
  }

  list(): Volume[] {
    return readdirSync(this.root)
      .filter((name) => !name.startsWith('.'))
      .flatMap((name) => this.find(name) ?? []);
  }

  users(name: string): string[] {
    return this.usersOf(name);
  }

  /** Mounts a volume created with mount options; a plain directory needs nothing. */
  async activate(name: string): Promise<void> {
    const volume = this.get(name);
    if (hasMountOptions(volume.Options)) await mountLocal(volume.Options!, this.dataPath(name));
  }

  /** Unmounts a volume with mount options once no running container uses it (local driver's refcount). */
  async deactivate(name: string): Promise<void> {
    const volume = this.find(name);
    if (volume && hasMountOptions(volume.Options)) unmount(this.dataPath(name));
  }

  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    const volume = this.find(name);
    if (!volume) {
      if (options.force) return;
      throw notFound(`get ${name}: no such volume`);
    }
    const users = this.usersOf(name);
    if (users.length > 0)
      throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
    const dir = join(this.root, name);
    // A volume mounted from its options; unmount tolerates a plain directory.
    unmount(this.dataPath(name));
    // The record goes first (renamed away), so a crash never leaves a half-removed volume listed.
    const trash = join(this.root, `.rm-${randomBytes(8).toString('hex')}`);
    renameSync(dir, trash);
    rmSync(trash, { recursive: true, force: true });
    this.publish('destroy', volume);
  }
}
