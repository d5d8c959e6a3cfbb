import { alreadyExists, invalidArgument, notFound } from '../errdefs';
import { labelsField, parseFilters } from '../filters';
import { applyLabelPaths, validateIdentifier, validateLabels, type OpContext } from './context';
import { now, parseLabels, prepared, type DB, type Labels } from './db';
import type { NamespaceStore } from './namespaces';

/** A protobuf Any kept opaque: containerd stores specs and options without decoding them. */
export interface AnyValue {
  typeUrl: string;
  value: Uint8Array;
}

export interface Container {
  id: string;
  labels: Labels;
  image: string;
  runtime: { name: string; options?: AnyValue };
  spec?: AnyValue;
  snapshotter: string;
  snapshotKey: string;
  createdAt: number;
  updatedAt: number;
  extensions: Record<string, AnyValue>;
}

interface Row {
  id: string;
  labels: string;
  image: string;
  runtime_name: string;
  runtime_options_type: string | null;
  runtime_options: Buffer | null;
  spec_type: string | null;
  spec: Buffer | null;
  snapshotter: string;
  snapshot_key: string;
  extensions: string;
  created_at: number;
  updated_at: number;
}

const anyOf = (typeUrl: string | null, value: Buffer | null): AnyValue | undefined =>
  typeUrl === null ? undefined : { typeUrl, value: value ?? Buffer.alloc(0) };

function toContainer(r: Row): Container {
  const ext = JSON.parse(r.extensions) as Record<string, { typeUrl: string; value: string }>;
  return {
    id: r.id,
    labels: parseLabels(r.labels),
    image: r.image,
    runtime: { name: r.runtime_name, options: anyOf(r.runtime_options_type, r.runtime_options) },
    spec: anyOf(r.spec_type, r.spec),
    snapshotter: r.snapshotter,
    snapshotKey: r.snapshot_key,
    extensions: Object.fromEntries(
      Object.entries(ext).map(([k, v]) => [
        k,
        { typeUrl: v.typeUrl, value: Buffer.from(v.value, 'base64') },
      ]),
    ),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function validateContainer(c: Container): void {
  try {
    validateIdentifier(c.id);
  } catch (err) {
    throw invalidArgument(`container.ID: ${(err as Error).message}`);
  }
  validateLabels(c.labels);
  if (Object.keys(c.extensions).some((k) => k === '')) {
    throw invalidArgument('container.Extension keys must not be zero-length');
  }
  if (c.runtime.name === '') throw invalidArgument('must set container.Runtime.Name');
  if (!c.spec) throw invalidArgument('container.Spec must be set');
  if (c.snapshotKey !== '' && c.snapshotter === '') {
    throw invalidArgument('container.Snapshotter must be set if container.SnapshotKey is set');
  }
}

export class ContainerStore {
  constructor(
    private readonly db: DB,
    private readonly namespaces: NamespaceStore,
    private readonly onDelete: () => void,
  ) {}

  get(ctx: OpContext, id: string): Container {
    const r = prepared(this.db, 'SELECT * FROM containers WHERE namespace = ? AND id = ?').get(
      ctx.namespace,
      id,
    ) as Row | undefined;
    if (!r) throw notFound(`container ${JSON.stringify(id)}`);
    return toContainer(r);
  }

  list(ctx: OpContext, filters: readonly string[]): Container[] {
    const filter = parseFilters(filters);
    const rows = prepared(this.db, 'SELECT * FROM containers WHERE namespace = ? ORDER BY id').all(
      ctx.namespace,
    ) as Row[];
    return rows.map(toContainer).filter((c) =>
      filter(([f, sub, ...rest]) => {
        if (f === 'id') return c.id;
        if (f === 'image') return c.image;
        if (f === 'snapshotter') return c.snapshotter;
        if (f === 'runtime' && sub === 'name') return c.runtime.name;
        if (f === 'labels') return labelsField(c.labels, sub === undefined ? [] : [sub, ...rest]);
        return undefined;
      }),
    );
  }

  private write(ctx: OpContext, c: Container, verb: 'INSERT OR IGNORE' | 'REPLACE'): void {
    const ext = Object.fromEntries(
      Object.entries(c.extensions).map(([k, v]) => [
        k,
        { typeUrl: v.typeUrl, value: Buffer.from(v.value).toString('base64') },
      ]),
    );
    const r = prepared(
      this.db,
      `${verb} INTO containers (namespace, id, labels, image, runtime_name, runtime_options_type, runtime_options, spec_type, spec, snapshotter, snapshot_key, extensions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      ctx.namespace,
      c.id,
      JSON.stringify(c.labels),
      c.image,
      c.runtime.name,
      c.runtime.options?.typeUrl ?? null,
      c.runtime.options ? Buffer.from(c.runtime.options.value) : null,
      c.spec?.typeUrl ?? null,
      c.spec ? Buffer.from(c.spec.value) : null,
      c.snapshotter,
      c.snapshotKey,
      JSON.stringify(ext),
      c.createdAt,
      c.updatedAt,
    );
    if (r.changes === 0) throw alreadyExists(`container ${JSON.stringify(c.id)}`);
  }

  create(ctx: OpContext, c: Container): Container {
    validateContainer(c);
    const t = now();
    const created = { ...c, createdAt: t, updatedAt: t };
    return this.db.transaction(() => {
      this.namespaces.ensure(ctx.namespace);
      this.write(ctx, created, 'INSERT OR IGNORE');
      return created;
    })();
  }

  update(ctx: OpContext, c: Container, paths: readonly string[]): Container {
    return this.db.transaction(() => {
      const current = this.get(ctx, c.id);
      if (c.runtime.name !== '' && c.runtime.name !== current.runtime.name) {
        throw invalidArgument('container.Runtime.Name field is immutable');
      }
      if (c.snapshotter !== '' && c.snapshotter !== current.snapshotter) {
        throw invalidArgument('container.Snapshotter field is immutable');
      }
      const updated: Container = { ...current, updatedAt: now() };
      const other: string[] = [];
      const all =
        paths.length === 0 ? ['labels', 'spec', 'extensions', 'image', 'snapshotkey'] : paths;
      updated.labels = applyLabelPaths(current.labels, c.labels, all, (p) => other.push(p));
      for (const p of other) {
        if (p === 'spec') updated.spec = c.spec;
        else if (p === 'image') updated.image = c.image;
        else if (p === 'snapshotkey') updated.snapshotKey = c.snapshotKey;
        else if (p === 'extensions') updated.extensions = { ...c.extensions };
        else if (p.startsWith('extensions.')) {
          const key = p.slice('extensions.'.length);
          const v = c.extensions[key];
          updated.extensions = { ...updated.extensions };
          if (v) updated.extensions[key] = v;
          else delete updated.extensions[key];
        } else
          throw invalidArgument(
            `cannot update ${JSON.stringify(p)} field on ${JSON.stringify(c.id)}`,
          );
      }
      validateContainer(updated);
      this.write(ctx, updated, 'REPLACE');
      return updated;
    })();
  }

  delete(ctx: OpContext, id: string): void {
    const r = prepared(this.db, 'DELETE FROM containers WHERE namespace = ? AND id = ?').run(
      ctx.namespace,
      id,
    );
    if (r.changes === 0) throw notFound(`container ${JSON.stringify(id)}`);
    this.onDelete();
  }
}
