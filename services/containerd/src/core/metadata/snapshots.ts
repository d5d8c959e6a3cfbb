import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errdefs';
import { labelsField, parseFilters } from '../filters';
import type { Mount, OverlayFs, Usage } from '../snapshots/overlay/overlay';
import { applyLabelPaths, validateLabels, type OpContext } from './context';
import { now, parseLabels, prepared, type DB, type Labels } from './db';
import type { LeaseStore } from './leases';
import type { NamespaceStore } from './namespaces';

/** Numbering as upstream's snapshots.Kind: UNKNOWN=0, VIEW=1, ACTIVE=2, COMMITTED=3. */
export enum Kind {
  View = 1,
  Active = 2,
  Committed = 3,
}

const KIND_NAMES: Record<Kind, string> = {
  [Kind.View]: 'view',
  [Kind.Active]: 'active',
  [Kind.Committed]: 'committed',
};

export interface SnapshotInfo {
  name: string;
  parent: string;
  kind: Kind;
  labels: Labels;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: number;
  key: string;
  parent: string;
  kind: Kind;
  labels: string;
  created_at: number;
  updated_at: number;
}

const toInfo = (r: Row): SnapshotInfo => ({
  name: r.key,
  parent: r.parent,
  kind: r.kind,
  labels: parseLabels(r.labels),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const SNAPSHOTTER = 'overlayfs';

/** Namespaced snapshot records over the overlay snapshotter's directories. */
export class SnapshotStore {
  readonly name = SNAPSHOTTER;

  constructor(
    private readonly db: DB,
    readonly fs: OverlayFs,
    private readonly namespaces: NamespaceStore,
    private readonly leases: LeaseStore,
  ) {}

  private find(ctx: OpContext, key: string): Row | undefined {
    return prepared(
      this.db,
      'SELECT * FROM snapshots WHERE namespace = ? AND snapshotter = ? AND key = ?',
    ).get(ctx.namespace, this.name, key) as Row | undefined;
  }

  private require(ctx: OpContext, key: string): Row {
    const r = this.find(ctx, key);
    if (!r) throw notFound(`snapshot ${key} does not exist`);
    return r;
  }

  /** The chain of committed parents, nearest first. */
  private parentIds(ctx: OpContext, parent: string): number[] {
    const ids: number[] = [];
    for (let p = parent; p !== '';) {
      const r = this.require(ctx, p);
      ids.push(r.id);
      p = r.parent;
    }
    return ids;
  }

  private create(ctx: OpContext, kind: Kind, key: string, parent: string, labels: Labels): Mount[] {
    if (key === '') throw invalidArgument('key must not be empty');
    validateLabels(labels);
    const id = this.db.transaction(() => {
      if (this.find(ctx, key)) throw alreadyExists(`snapshot ${JSON.stringify(key)}`);
      if (parent !== '') {
        const p = this.find(ctx, parent);
        if (!p) throw notFound(`parent snapshot ${parent} does not exist`);
        if (p.kind !== Kind.Committed)
          throw failedPrecondition(`parent ${JSON.stringify(parent)} is not committed snapshot`);
      }
      this.namespaces.ensure(ctx.namespace);
      const t = now();
      const r = prepared(
        this.db,
        'INSERT INTO snapshots (namespace, snapshotter, key, parent, kind, labels, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(ctx.namespace, this.name, key, parent, kind, JSON.stringify(labels), t, t);
      const id = Number(r.lastInsertRowid);
      this.leases.track(ctx, { type: `snapshots/${this.name}`, id: key });
      // Inside the transaction: if the directories cannot be made, no record remains.
      this.fs.create(id);
      return id;
    })();
    return this.fs.mounts(id, kind === Kind.View, this.parentIds(ctx, parent));
  }

  prepare(ctx: OpContext, key: string, parent: string, labels: Labels): Mount[] {
    return this.create(ctx, Kind.Active, key, parent, labels);
  }

  view(ctx: OpContext, key: string, parent: string, labels: Labels): Mount[] {
    return this.create(ctx, Kind.View, key, parent, labels);
  }

  mounts(ctx: OpContext, key: string): Mount[] {
    const r = this.require(ctx, key);
    if (r.kind === Kind.Committed)
      throw failedPrecondition(`snapshot ${key} is committed, cannot mount`);
    return this.fs.mounts(r.id, r.kind === Kind.View, this.parentIds(ctx, r.parent));
  }

  /** The upper directory of an active snapshot (where Diff.Apply writes). */
  upperOf(ctx: OpContext, key: string): { upper: string; lowers: string[] } {
    const r = this.require(ctx, key);
    return {
      upper: this.fs.upperPath(r.id),
      lowers: this.parentIds(ctx, r.parent).map((id) => this.fs.upperPath(id)),
    };
  }

  commit(ctx: OpContext, name: string, key: string, labels: Labels): void {
    if (name === '') throw invalidArgument('name must not be empty');
    validateLabels(labels);
    this.db.transaction(() => {
      const r = this.require(ctx, key);
      if (r.kind !== Kind.Active)
        throw failedPrecondition(`snapshot ${JSON.stringify(key)} is not active`);
      if (this.find(ctx, name)) throw alreadyExists(`snapshot ${JSON.stringify(name)}`);
      prepared(
        this.db,
        'UPDATE snapshots SET key = ?, kind = ?, labels = ?, updated_at = ? WHERE id = ?',
      ).run(
        name,
        Kind.Committed,
        JSON.stringify({ ...parseLabels(r.labels), ...labels }),
        now(),
        r.id,
      );
      this.leases.track(ctx, { type: `snapshots/${this.name}`, id: name });
    })();
  }

  remove(ctx: OpContext, key: string): void {
    const id = this.db.transaction(() => {
      const r = this.require(ctx, key);
      const child = prepared(
        this.db,
        'SELECT 1 FROM snapshots WHERE namespace = ? AND snapshotter = ? AND parent = ? LIMIT 1',
      ).get(ctx.namespace, this.name, key);
      if (child) throw failedPrecondition('cannot remove snapshot with child');
      prepared(this.db, 'DELETE FROM snapshots WHERE id = ?').run(r.id);
      return r.id;
    })();
    this.fs.remove(id);
  }

  stat(ctx: OpContext, key: string): SnapshotInfo {
    return toInfo(this.require(ctx, key));
  }

  update(
    ctx: OpContext,
    info: Pick<SnapshotInfo, 'name' | 'labels'>,
    paths: readonly string[],
  ): SnapshotInfo {
    return this.db.transaction(() => {
      const r = this.require(ctx, info.name);
      const labels = applyLabelPaths(parseLabels(r.labels), info.labels, paths, (p) => {
        throw invalidArgument(
          `cannot update ${JSON.stringify(p)} field on snapshot ${JSON.stringify(info.name)}`,
        );
      });
      validateLabels(labels);
      const t = now();
      prepared(this.db, 'UPDATE snapshots SET labels = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify(labels),
        t,
        r.id,
      );
      return { ...toInfo(r), labels, updatedAt: t };
    })();
  }

  list(ctx: OpContext, filters: readonly string[]): SnapshotInfo[] {
    const filter = parseFilters(filters);
    const rows = prepared(
      this.db,
      'SELECT * FROM snapshots WHERE namespace = ? AND snapshotter = ? ORDER BY key',
    ).all(ctx.namespace, this.name) as Row[];
    return rows.map(toInfo).filter((s) =>
      filter(([f, ...rest]) => {
        if (f === 'name') return s.name;
        if (f === 'parent') return s.parent;
        if (f === 'kind') return KIND_NAMES[s.kind];
        if (f === 'labels') return labelsField(s.labels, rest);
        return undefined;
      }),
    );
  }

  usage(ctx: OpContext, key: string): Promise<Usage> {
    return this.fs.usage(this.require(ctx, key).id);
  }

  /** Removes directories that no record owns. */
  cleanup(): number {
    const ids = prepared(this.db, 'SELECT id FROM snapshots').all() as { id: number }[];
    return this.fs.removeOrphans(new Set(ids.map((r) => r.id)));
  }

  /** @internal for garbage collection: every record of this snapshotter. */
  allRecords(): { namespace: string; key: string; parent: string; labels: Labels }[] {
    const rows = prepared(
      this.db,
      'SELECT namespace, key, parent, labels FROM snapshots WHERE snapshotter = ?',
    ).all(this.name) as { namespace: string; key: string; parent: string; labels: string }[];
    return rows.map((r) => ({ ...r, labels: parseLabels(r.labels) }));
  }

  /** @internal for garbage collection: removes a record and its directories. */
  removeUnreferenced(namespace: string, key: string): void {
    this.remove({ namespace }, key);
  }
}
