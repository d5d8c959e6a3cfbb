import { parseDigest } from '../digest';
import { alreadyExists, errorOf, invalidArgument, notFound } from '../errdefs';
import { parseFilters, labelsField } from '../filters';
import { validateLabels, type OpContext } from './context';
import { now, parseLabels, prepared, type DB, type Labels } from './db';

export interface Lease {
  id: string;
  createdAt: number;
  labels: Labels;
}

export interface LeaseResource {
  id: string;
  type: string;
}

/** Upstream's parseLeaseResource checks, with its messages. */
function validateResource(r: LeaseResource): void {
  const keys = r.type.split('/');
  const kind = keys[0];
  if (kind === 'content' || kind === 'ingests') {
    if (keys.length !== 1) throw invalidArgument(`invalid resource type ${r.type}`);
    if (kind === 'content') {
      try {
        parseDigest(r.id);
      } catch (err) {
        throw invalidArgument(`invalid content resource id ${r.id}: ${(err as Error).message}`);
      }
    }
  } else if (kind === 'snapshots') {
    if (keys.length !== 2) throw invalidArgument(`invalid snapshot resource type ${r.type}`);
  } else {
    throw errorOf('NotImplemented', `resource type ${r.type} not supported yet`);
  }
}

export class LeaseStore {
  constructor(private readonly db: DB) {}

  create(ctx: OpContext, id: string, labels: Labels): Lease {
    // Upstream accepts any non-empty lease id (ctr uses mount paths as ids).
    if (id === '') throw invalidArgument('lease id must be provided');
    validateLabels(labels);
    const lease = { id, createdAt: now(), labels };
    const r = prepared(
      this.db,
      'INSERT OR IGNORE INTO leases (namespace, id, labels, created_at) VALUES (?, ?, ?, ?)',
    ).run(ctx.namespace, id, JSON.stringify(labels), lease.createdAt);
    if (r.changes === 0) throw alreadyExists(`lease ${JSON.stringify(id)}`);
    return lease;
  }

  delete(ctx: OpContext, id: string): void {
    this.db.transaction(() => {
      const r = prepared(this.db, 'DELETE FROM leases WHERE namespace = ? AND id = ?').run(
        ctx.namespace,
        id,
      );
      if (r.changes === 0) throw notFound(`lease ${JSON.stringify(id)}`);
      prepared(this.db, 'DELETE FROM lease_resources WHERE namespace = ? AND lease = ?').run(
        ctx.namespace,
        id,
      );
    })();
  }

  list(ctx: OpContext, filters: readonly string[]): Lease[] {
    const filter = parseFilters(filters);
    const rows = prepared(
      this.db,
      'SELECT id, labels, created_at FROM leases WHERE namespace = ? ORDER BY id',
    ).all(ctx.namespace) as { id: string; labels: string; created_at: number }[];
    return rows
      .map((r) => ({ id: r.id, createdAt: r.created_at, labels: parseLabels(r.labels) }))
      .filter((l) =>
        filter(([f, ...rest]) =>
          f === 'id' ? l.id : f === 'labels' ? labelsField(l.labels, rest) : undefined,
        ),
      );
  }

  private requireLease(ctx: OpContext, id: string): void {
    const row = prepared(this.db, 'SELECT 1 FROM leases WHERE namespace = ? AND id = ?').get(
      ctx.namespace,
      id,
    );
    if (!row) throw notFound('lease does not exist');
  }

  addResource(ctx: OpContext, lease: string, r: LeaseResource): void {
    validateResource(r);
    this.requireLease(ctx, lease);
    prepared(
      this.db,
      'INSERT OR IGNORE INTO lease_resources (namespace, lease, type, id) VALUES (?, ?, ?, ?)',
    ).run(ctx.namespace, lease, r.type, r.id);
  }

  deleteResource(ctx: OpContext, lease: string, r: LeaseResource): void {
    this.requireLease(ctx, lease);
    prepared(
      this.db,
      'DELETE FROM lease_resources WHERE namespace = ? AND lease = ? AND type = ? AND id = ?',
    ).run(ctx.namespace, lease, r.type, r.id);
  }

  listResources(ctx: OpContext, lease: string): LeaseResource[] {
    this.requireLease(ctx, lease);
    return prepared(
      this.db,
      'SELECT id, type FROM lease_resources WHERE namespace = ? AND lease = ? ORDER BY type, id',
    ).all(ctx.namespace, lease) as LeaseResource[];
  }

  /** Records a resource created under the caller's lease (the containerd-lease metadata). */
  track(ctx: OpContext, r: LeaseResource): void {
    if (ctx.lease) this.addResource(ctx, ctx.lease, r);
  }
}
