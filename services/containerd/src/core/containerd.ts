import { join } from 'node:path';
import { LocalContentStore } from './content/local';
import { DiffService } from './diff/service';
import { Exchange, type Envelope } from './events/exchange';
import { GarbageCollector } from './gc/gc';
import { ContainerStore } from './metadata/containers';
import { ContentStore } from './metadata/content';
import { openDatabase, type DB } from './metadata/db';
import { ImageStore } from './metadata/images';
import { LeaseStore } from './metadata/leases';
import { NamespaceStore } from './metadata/namespaces';
import { SnapshotStore } from './metadata/snapshots';
import { OverlayFs } from './snapshots/overlay/overlay';

export interface CoreOptions {
  root: string;
  /** Decodes an event payload for `event.<field>` filters. */
  decodeEvent?: (e: Envelope) => Record<string, unknown> | undefined;
  gcDelayMs?: number;
}

/** The daemon's core plugins, wired as containerd's metadata plugin wires them. */
export class Core {
  readonly db: DB;
  readonly namespaces: NamespaceStore;
  readonly leases: LeaseStore;
  readonly blobs: LocalContentStore;
  readonly content: ContentStore;
  readonly images: ImageStore;
  readonly containers: ContainerStore;
  readonly snapshots: SnapshotStore;
  readonly diff: DiffService;
  readonly gc: GarbageCollector;
  readonly events: Exchange;

  constructor(opts: CoreOptions) {
    this.db = openDatabase(join(opts.root, 'io.containerd.metadata.v1.sqlite', 'meta.db'));
    this.blobs = new LocalContentStore(join(opts.root, 'io.containerd.content.v1.content'));
    const overlay = new OverlayFs(join(opts.root, 'io.containerd.snapshotter.v1.overlayfs'));
    this.namespaces = new NamespaceStore(this.db);
    this.leases = new LeaseStore(this.db);
    this.snapshots = new SnapshotStore(this.db, overlay, this.namespaces, this.leases);
    this.gc = new GarbageCollector(this.db, this.blobs, this.snapshots, opts.gcDelayMs);
    const scheduleGc = () => this.gc.schedule();
    this.content = new ContentStore(this.db, this.blobs, this.namespaces, this.leases, scheduleGc);
    this.images = new ImageStore(this.db, this.namespaces, scheduleGc);
    this.containers = new ContainerStore(this.db, this.namespaces, scheduleGc);
    this.diff = new DiffService(this.content);
    this.events = new Exchange(opts.decodeEvent ?? (() => undefined));
  }

  /** Startup recovery: drop what a crash left half-made (unrecorded blobs and directories). */
  async recover(): Promise<void> {
    this.snapshots.cleanup();
    await this.gc.removeUnrecordedBlobs();
  }

  close(): void {
    this.gc.stop();
    this.db.close();
  }
}
