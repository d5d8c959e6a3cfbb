import { parseDigest } from '../digest';
import { alreadyExists, invalidArgument, notFound } from '../errdefs';
import { labelsField, parseFilters } from '../filters';
import { applyLabelPaths, validateLabels, type OpContext } from './context';
import { now, parseLabels, prepared, type DB, type Labels } from './db';
import type { NamespaceStore } from './namespaces';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Labels;
}

export interface Image {
  name: string;
  labels: Labels;
  target: Descriptor;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  name: string;
  labels: string;
  target_media_type: string;
  target_digest: string;
  target_size: number;
  target_annotations: string;
  created_at: number;
  updated_at: number;
}

const toImage = (r: Row): Image => ({
  name: r.name,
  labels: parseLabels(r.labels),
  target: {
    mediaType: r.target_media_type,
    digest: r.target_digest,
    size: r.target_size,
    annotations: parseLabels(r.target_annotations),
  },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function validateImage(image: Image): void {
  if (image.name === '') throw invalidArgument('image name must not be empty');
  validateLabels(image.labels);
  if (image.target.digest === '') throw invalidArgument('Target.Digest must be set');
  try {
    parseDigest(image.target.digest);
  } catch {
    throw invalidArgument(`Target.Digest ${JSON.stringify(image.target.digest)} invalid`);
  }
  if (image.target.mediaType === '') throw invalidArgument('Target.MediaType must be set');
}

export class ImageStore {
  constructor(
    private readonly db: DB,
    private readonly namespaces: NamespaceStore,
    private readonly onDelete: () => void,
  ) {}

  get(ctx: OpContext, name: string): Image {
    const r = prepared(this.db, 'SELECT * FROM images WHERE namespace = ? AND name = ?').get(
      ctx.namespace,
      name,
    ) as Row | undefined;
    if (!r) throw notFound(`image ${JSON.stringify(name)}`);
    return toImage(r);
  }

  list(ctx: OpContext, filters: readonly string[]): Image[] {
    const filter = parseFilters(filters);
    const rows = prepared(this.db, 'SELECT * FROM images WHERE namespace = ? ORDER BY name').all(
      ctx.namespace,
    ) as Row[];
    return rows.map(toImage).filter((i) =>
      filter(([f, sub, ...rest]) => {
        if (f === 'name') return i.name;
        if (f === 'labels') return labelsField(i.labels, sub === undefined ? [] : [sub, ...rest]);
        if (f === 'target' && sub === 'digest') return i.target.digest;
        if (f === 'target' && sub === 'mediatype') return i.target.mediaType;
        return undefined;
      }),
    );
  }

  create(ctx: OpContext, image: Image): Image {
    validateImage(image);
    const t = now();
    const created = { ...image, createdAt: t, updatedAt: t };
    return this.db.transaction(() => {
      this.namespaces.ensure(ctx.namespace);
      this.write(ctx, created, 'INSERT OR IGNORE');
      return created;
    })();
  }

  private write(ctx: OpContext, i: Image, verb: 'INSERT OR IGNORE' | 'REPLACE'): void {
    const r = prepared(
      this.db,
      `${verb} INTO images (namespace, name, labels, target_media_type, target_digest, target_size, target_annotations, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      ctx.namespace,
      i.name,
      JSON.stringify(i.labels),
      i.target.mediaType,
      i.target.digest,
      i.target.size,
      JSON.stringify(i.target.annotations),
      i.createdAt,
      i.updatedAt,
    );
    if (r.changes === 0) throw alreadyExists(`image ${JSON.stringify(i.name)}`);
  }

  update(ctx: OpContext, image: Image, paths: readonly string[]): Image {
    return this.db.transaction(() => {
      const current = this.get(ctx, image.name);
      const updated: Image = { ...current, updatedAt: now() };
      if (paths.length === 0) {
        updated.labels = { ...image.labels };
        updated.target = image.target;
      } else {
        const other: string[] = [];
        updated.labels = applyLabelPaths(current.labels, image.labels, paths, (p) => other.push(p));
        for (const p of other) {
          if (p === 'target') updated.target = image.target;
          else if (p === 'annotations')
            updated.target = { ...updated.target, annotations: image.target.annotations };
          else if (p.startsWith('annotations.')) {
            const key = p.slice('annotations.'.length);
            const annotations = { ...updated.target.annotations };
            const v = image.target.annotations[key];
            if (v === undefined || v === '') delete annotations[key];
            else annotations[key] = v;
            updated.target = { ...updated.target, annotations };
          } else
            throw invalidArgument(
              `cannot update ${JSON.stringify(p)} field on image ${JSON.stringify(image.name)}`,
            );
        }
      }
      validateImage(updated);
      this.write(ctx, updated, 'REPLACE');
      return updated;
    })();
  }

  delete(ctx: OpContext, name: string): void {
    const r = prepared(this.db, 'DELETE FROM images WHERE namespace = ? AND name = ?').run(
      ctx.namespace,
      name,
    );
    if (r.changes === 0) throw notFound(`image ${JSON.stringify(name)}`);
    this.onDelete();
  }
}
