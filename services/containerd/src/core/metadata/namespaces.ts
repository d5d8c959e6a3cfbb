import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errdefs';
import { applyLabelPaths, validateIdentifier, validateLabels } from './context';
import { parseLabels, prepared, type DB, type Labels } from './db';

export interface Namespace {
  name: string;
  labels: Labels;
}

/** Tables whose rows belong to a namespace, named as upstream reports them when non-empty. */
const RESOURCES: [table: string, name: string][] = [
  ['images', 'images'],
  ['content', 'blobs'],
  ['snapshots', 'snapshots'],
  ['containers', 'containers'],
];

export class NamespaceStore {
  constructor(private readonly db: DB) {}

  /** Every write in a namespace creates it, as upstream's bucket creation does. */
  ensure(name: string): void {
    prepared(this.db, 'INSERT OR IGNORE INTO namespaces (name) VALUES (?)').run(name);
  }

  create(name: string, labels: Labels): Namespace {
    validateIdentifier(name);
    validateLabels(labels);
    const r = prepared(
      this.db,
      'INSERT OR IGNORE INTO namespaces (name, labels) VALUES (?, ?)',
    ).run(name, JSON.stringify(labels));
    if (r.changes === 0) throw alreadyExists(`namespace ${name}`);
    return { name, labels };
  }

  get(name: string): Namespace {
    const row = prepared(this.db, 'SELECT labels FROM namespaces WHERE name = ?').get(name) as
      { labels: string } | undefined;
    if (!row) throw notFound(`namespace ${name}`);
    return { name, labels: parseLabels(row.labels) };
  }

  list(): Namespace[] {
    const rows = prepared(this.db, 'SELECT name, labels FROM namespaces ORDER BY name').all() as {
      name: string;
      labels: string;
    }[];
    return rows.map((r) => ({ name: r.name, labels: parseLabels(r.labels) }));
  }

  update(ns: Namespace, paths: readonly string[]): Namespace {
    const current = this.get(ns.name);
    const labels = applyLabelPaths(current.labels, ns.labels, paths, (p) => {
      throw invalidArgument(
        `cannot update ${JSON.stringify(p)} field on namespace ${JSON.stringify(ns.name)}`,
      );
    });
    validateLabels(labels);
    prepared(this.db, 'UPDATE namespaces SET labels = ? WHERE name = ?').run(
      JSON.stringify(labels),
      ns.name,
    );
    return { name: ns.name, labels };
  }

  delete(name: string): void {
    this.get(name);
    const busy = RESOURCES.filter(
      ([table]) =>
        prepared(this.db, `SELECT 1 FROM ${table} WHERE namespace = ? LIMIT 1`).get(name) !==
        undefined,
    ).map(([, n]) => n);
    if (busy.length > 0) {
      throw failedPrecondition(
        `namespace ${JSON.stringify(name)} must be empty, but it still has ${busy.join(', ')}`,
      );
    }
    this.db.transaction(() => {
      prepared(this.db, 'DELETE FROM leases WHERE namespace = ?').run(name);
      prepared(this.db, 'DELETE FROM lease_resources WHERE namespace = ?').run(name);
      prepared(this.db, 'DELETE FROM namespaces WHERE name = ?').run(name);
    })();
  }
}
