import type { LocalContentStore } from '../content/local';
import type { DB, Labels } from '../metadata/db';
import { parseLabels, prepared } from '../metadata/db';
import type { SnapshotStore } from '../metadata/snapshots';

// Upstream's garbage-collection labels (metadata/gc.go).
const GC_ROOT = 'containerd.io/gc.root';
const GC_REF_CONTENT = 'containerd.io/gc.ref.content';
const GC_REF_SNAPSHOT = 'containerd.io/gc.ref.snapshot.';
const GC_EXPIRE = 'containerd.io/gc.expire';
const GC_FLAT = 'containerd.io/gc.flat';

type Node = `c|${string}|${string}` | `s|${string}|${string}`;

const contentNode = (ns: string, digest: string): Node => `c|${ns}|${digest}`;
const snapshotNode = (ns: string, key: string): Node => `s|${ns}|${key}`;

/** Nodes a set of labels points at: gc.ref.content[.*] and gc.ref.snapshot.<snapshotter>[.*]. */
function labelRefs(ns: string, labels: Labels, snapshotter: string): Node[] {
  const out: Node[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (k === GC_REF_CONTENT || k.startsWith(`${GC_REF_CONTENT}.`)) out.push(contentNode(ns, v));
    else if (
      k === `${GC_REF_SNAPSHOT}${snapshotter}` ||
      k.startsWith(`${GC_REF_SNAPSHOT}${snapshotter}.`)
    ) {
      out.push(snapshotNode(ns, v));
    }
  }
  return out;
}

export interface GcResult {
  content: number;
  blobs: number;
  snapshots: number;
  leases: number;
}

/**
 * Mark and sweep over the metadata, as upstream's scheduler does: roots are images,
 * containers, unexpired leases' resources and records labelled gc.root; edges are parent
 * snapshots and gc.ref labels. Unreached content records and snapshots are removed, and
 * a blob is deleted once no namespace records it.
 */
export class GarbageCollector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<GcResult> | undefined;

  constructor(
    private readonly db: DB,
    private readonly blobs: LocalContentStore,
    private readonly snapshots: SnapshotStore,
    private readonly delayMs = 100,
  ) {}

  /** Runs a collection soon; many deletions in a burst cost one collection. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.collect();
    }, this.delayMs);
    this.timer.unref();
  }

  collect(): Promise<GcResult> {
    const run = (this.running ?? Promise.resolve()).then(() => this.sweep());
    this.running = run.catch(() => ({ content: 0, blobs: 0, snapshots: 0, leases: 0 }));
    return run;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private mark(): { live: Set<Node>; expiredLeases: { namespace: string; id: string }[] } {
    const db = this.db;
    const sn = this.snapshots.name;
    const edges = new Map<Node, Node[]>();
    const roots: Node[] = [];
    const content = prepared(db, 'SELECT namespace, digest, labels FROM content').all() as {
      namespace: string;
      digest: string;
      labels: string;
    }[];
    for (const c of content) {
      const labels = parseLabels(c.labels);
      const node = contentNode(c.namespace, c.digest);
      edges.set(node, labelRefs(c.namespace, labels, sn));
      if (labels[GC_ROOT] !== undefined) roots.push(node);
    }
    for (const s of this.snapshots.allRecords()) {
      const node = snapshotNode(s.namespace, s.key);
      const refs = labelRefs(s.namespace, s.labels, sn);
      if (s.parent) refs.push(snapshotNode(s.namespace, s.parent));
      edges.set(node, refs);
      if (s.labels[GC_ROOT] !== undefined) roots.push(node);
    }
    for (const i of prepared(db, 'SELECT namespace, target_digest FROM images').all() as {
      namespace: string;
      target_digest: string;
    }[]) {
      roots.push(contentNode(i.namespace, i.target_digest));
    }
    for (const c of prepared(
      db,
      'SELECT namespace, snapshotter, snapshot_key, labels FROM containers',
    ).all() as {
      namespace: string;
      snapshotter: string;
      snapshot_key: string;
      labels: string;
    }[]) {
      if (c.snapshot_key && c.snapshotter === sn)
        roots.push(snapshotNode(c.namespace, c.snapshot_key));
      roots.push(...labelRefs(c.namespace, parseLabels(c.labels), sn));
    }
    const live = new Set<Node>();
    const visit = (start: Node, flat: boolean): void => {
      const stack = [start];
      while (stack.length > 0) {
        const n = stack.pop() as Node;
        if (live.has(n)) continue;
        live.add(n);
        if (!flat) stack.push(...(edges.get(n) ?? []));
      }
    };
    for (const r of roots) visit(r, false);
    const expiredLeases: { namespace: string; id: string }[] = [];
    const leases = prepared(db, 'SELECT namespace, id, labels FROM leases').all() as {
      namespace: string;
      id: string;
      labels: string;
    }[];
    const resources = prepared(
      db,
      'SELECT type, id FROM lease_resources WHERE namespace = ? AND lease = ?',
    );
    for (const l of leases) {
      const labels = parseLabels(l.labels);
      const expire = labels[GC_EXPIRE];
      if (expire !== undefined && Date.parse(expire) < Date.now()) {
        expiredLeases.push({ namespace: l.namespace, id: l.id });
        continue;
      }
      const flat = labels[GC_FLAT] !== undefined;
      for (const r of resources.all(l.namespace, l.id) as { type: string; id: string }[]) {
        if (r.type === 'content') visit(contentNode(l.namespace, r.id), flat);
        else if (r.type === `snapshots/${sn}`) visit(snapshotNode(l.namespace, r.id), flat);
      }
    }
    return { live, expiredLeases };
  }

  private sweep(): GcResult {
    const db = this.db;
    const result: GcResult = { content: 0, blobs: 0, snapshots: 0, leases: 0 };
    const orphanBlobs = new Set<string>();
    const deadSnapshots: { namespace: string; key: string }[] = [];
    db.transaction(() => {
      const { live, expiredLeases } = this.mark();
      for (const l of expiredLeases) {
        prepared(db, 'DELETE FROM leases WHERE namespace = ? AND id = ?').run(l.namespace, l.id);
        prepared(db, 'DELETE FROM lease_resources WHERE namespace = ? AND lease = ?').run(
          l.namespace,
          l.id,
        );
        result.leases++;
      }
      const del = prepared(db, 'DELETE FROM content WHERE namespace = ? AND digest = ?');
      for (const c of prepared(db, 'SELECT namespace, digest FROM content').all() as {
        namespace: string;
        digest: string;
      }[]) {
        if (!live.has(contentNode(c.namespace, c.digest))) {
          del.run(c.namespace, c.digest);
          orphanBlobs.add(c.digest);
          result.content++;
        }
      }
      for (const s of this.snapshots.allRecords()) {
        if (!live.has(snapshotNode(s.namespace, s.key))) deadSnapshots.push(s);
      }
      const stillRecorded = prepared(db, 'SELECT 1 FROM content WHERE digest = ? LIMIT 1');
      for (const d of [...orphanBlobs]) if (stillRecorded.get(d)) orphanBlobs.delete(d);
    })();
    // Children before parents: a dead snapshot's children are dead too (parent edges).
    let pending = deadSnapshots;
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (const s of pending) {
        try {
          this.snapshots.removeUnreferenced(s.namespace, s.key);
          result.snapshots++;
        } catch {
          next.push(s);
        }
      }
      if (next.length === pending.length) break;
      pending = next;
    }
    for (const d of orphanBlobs) {
      this.blobs.removeBlob(d);
      result.blobs++;
    }
    return result;
  }

  /** Deletes blobs no namespace records (left by a crash between rename and record). */
  async removeUnrecordedBlobs(): Promise<number> {
    const recorded = prepared(this.db, 'SELECT 1 FROM content WHERE digest = ? LIMIT 1');
    let n = 0;
    for await (const b of this.blobs.walk()) {
      if (!recorded.get(b.digest)) {
        this.blobs.removeBlob(b.digest);
        n++;
      }
    }
    return n;
  }
}
