import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type DB = Database.Database;

// One database holds every namespaced record and the snapshotter's own records, so a
// change that spans them (commit a snapshot and lease it) is one transaction. Labels and
// annotations are JSON objects; protobuf Any values are kept as type_url + raw bytes.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS namespaces (
  name TEXT PRIMARY KEY, labels TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS content (
  namespace TEXT NOT NULL, digest TEXT NOT NULL, size INTEGER NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (namespace, digest)
);
CREATE TABLE IF NOT EXISTS ingests (
  namespace TEXT NOT NULL, ref TEXT NOT NULL, expected TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (namespace, ref)
);
CREATE TABLE IF NOT EXISTS images (
  namespace TEXT NOT NULL, name TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '{}',
  target_media_type TEXT NOT NULL, target_digest TEXT NOT NULL, target_size INTEGER NOT NULL,
  target_annotations TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (namespace, name)
);
CREATE TABLE IF NOT EXISTS containers (
  namespace TEXT NOT NULL, id TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '{}',
  image TEXT NOT NULL DEFAULT '', runtime_name TEXT NOT NULL, runtime_options_type TEXT,
  runtime_options BLOB, spec_type TEXT, spec BLOB, snapshotter TEXT NOT NULL DEFAULT '',
  snapshot_key TEXT NOT NULL DEFAULT '', extensions TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (namespace, id)
);
CREATE TABLE IF NOT EXISTS leases (
  namespace TEXT NOT NULL, id TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL, PRIMARY KEY (namespace, id)
);
CREATE TABLE IF NOT EXISTS lease_resources (
  namespace TEXT NOT NULL, lease TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  PRIMARY KEY (namespace, lease, type, id)
);
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY AUTOINCREMENT, namespace TEXT NOT NULL, snapshotter TEXT NOT NULL,
  key TEXT NOT NULL, parent TEXT NOT NULL DEFAULT '', kind INTEGER NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE (namespace, snapshotter, key)
);
CREATE INDEX IF NOT EXISTS snapshots_parent ON snapshots (namespace, snapshotter, parent);
`;

export function openDatabase(path: string): DB {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL with WAL: every commit survives a process crash (kill -9) and the database is
  // never corrupt; only a power loss may drop the last commits before a checkpoint.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

export type Labels = Record<string, string>;

export const parseLabels = (json: string): Labels => JSON.parse(json) as Labels;

/** Record times are milliseconds since the epoch. */
export const now = (): number => Date.now();

const statements = new WeakMap<DB, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per database: preparing is most of a small query's cost. */
export function prepared(db: DB, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
