import type { Readable } from 'node:stream';
import { parseDigest } from '../digest';
import { alreadyExists, invalidArgument, isKind, notFound } from '../errdefs';
import { labelsField, parseFilters } from '../filters';
import type { ContentWriter, IngestStatus, LocalContentStore } from '../content/local';
import { applyLabelPaths, validateLabels, type OpContext } from './context';
import { now, parseLabels, prepared, type DB, type Labels } from './db';
import type { LeaseStore } from './leases';
import type { NamespaceStore } from './namespaces';

export interface ContentInfo {
  digest: string;
  size: number;
  createdAt: number;
  updatedAt: number;
  labels: Labels;
}

interface Row {
  digest: string;
  size: number;
  labels: string;
  created_at: number;
  updated_at: number;
}

const toInfo = (r: Row): ContentInfo => ({
  digest: r.digest,
  size: r.size,
  labels: parseLabels(r.labels),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * The namespaced view of the blob store: a blob is visible in a namespace once a record
 * for it exists there. Blobs are shared between namespaces; garbage collection removes a
 * blob when no namespace records it any more.
 */
export class ContentStore {
  constructor(
    private readonly db: DB,
    readonly blobs: LocalContentStore,
    private readonly namespaces: NamespaceStore,
    private readonly leases: LeaseStore,
    private readonly onDelete: () => void,
  ) {}

  private row(ns: string, digest: string): Row | undefined {
    return prepared(this.db, 'SELECT * FROM content WHERE namespace = ? AND digest = ?').get(
      ns,
      digest,
    ) as Row | undefined;
  }

  info(ctx: OpContext, digest: string): ContentInfo {
    parseDigest(digest);
    const r = this.row(ctx.namespace, digest);
    if (!r) throw notFound(`content digest ${digest}`);
    return toInfo(r);
  }

  update(
    ctx: OpContext,
    info: Pick<ContentInfo, 'digest' | 'labels'>,
    paths: readonly string[],
  ): ContentInfo {
    return this.db.transaction(() => {
      const current = this.info(ctx, info.digest);
      const labels = applyLabelPaths(current.labels, info.labels, paths, (p) => {
        throw invalidArgument(
          `cannot update ${JSON.stringify(p)} field on content info ${JSON.stringify(info.digest)}`,
        );
      });
      validateLabels(labels);
      const updatedAt = now();
      prepared(
        this.db,
        'UPDATE content SET labels = ?, updated_at = ? WHERE namespace = ? AND digest = ?',
      ).run(JSON.stringify(labels), updatedAt, ctx.namespace, info.digest);
      return { ...current, labels, updatedAt };
    })();
  }

  list(ctx: OpContext, filters: readonly string[]): ContentInfo[] {
    const filter = parseFilters(filters);
    const rows = prepared(this.db, 'SELECT * FROM content WHERE namespace = ? ORDER BY digest').all(
      ctx.namespace,
    ) as Row[];
    return rows.map(toInfo).filter((c) =>
      filter(([f, ...rest]) => {
        if (f === 'digest') return c.digest;
        if (f === 'size') return String(c.size);
        if (f === 'labels') return labelsField(c.labels, rest);
        return undefined;
      }),
    );
  }

  delete(ctx: OpContext, digest: string): void {
    parseDigest(digest);
    const r = prepared(this.db, 'DELETE FROM content WHERE namespace = ? AND digest = ?').run(
      ctx.namespace,
      digest,
    );
    if (r.changes === 0) throw notFound(`content digest ${digest}`);
    this.onDelete();
  }

  /** A range of a blob this namespace holds: one buffer when small, else a stream. */
  read(ctx: OpContext, digest: string, offset: number, size: number): Buffer | Readable {
    this.info(ctx, digest);
    return this.blobs.read(digest, offset, size);
  }

  reader(ctx: OpContext, digest: string, offset: number, size: number): Readable {
    this.info(ctx, digest);
    return this.blobs.reader(digest, offset, size);
  }

  private backendRef(ctx: OpContext, ref: string): string {
    return `${ctx.namespace}/${ref}`;
  }

  private ingestRows(ctx: OpContext): { ref: string }[] {
    return prepared(this.db, 'SELECT ref FROM ingests WHERE namespace = ?').all(ctx.namespace) as {
      ref: string;
    }[];
  }

  async status(ctx: OpContext, ref: string): Promise<IngestStatus> {
    const known = prepared(this.db, 'SELECT 1 FROM ingests WHERE namespace = ? AND ref = ?').get(
      ctx.namespace,
      ref,
    );
    if (!known) throw notFound(`ref ${ref}`);
    return { ...(await this.blobs.status(this.backendRef(ctx, ref))), ref };
  }

  async listStatuses(ctx: OpContext, filters: readonly string[]): Promise<IngestStatus[]> {
    const filter = parseFilters(filters);
    const out: IngestStatus[] = [];
    for (const { ref } of this.ingestRows(ctx)) {
      const st = await this.status(ctx, ref).catch(() => null);
      if (
        st &&
        filter(([f]) => (f === 'ref' ? st.ref : f === 'expected' ? st.expected : undefined))
      )
        out.push(st);
    }
    return out;
  }

  async abort(ctx: OpContext, ref: string): Promise<void> {
    await this.status(ctx, ref);
    await this.blobs.abort(this.backendRef(ctx, ref));
    prepared(this.db, 'DELETE FROM ingests WHERE namespace = ? AND ref = ?').run(
      ctx.namespace,
      ref,
    );
  }

  /** Adds the namespace's record for a blob (shared or just committed) and leases it. */
  private record(ctx: OpContext, digest: string, size: number, labels: Labels): boolean {
    return this.db.transaction(() => {
      this.namespaces.ensure(ctx.namespace);
      const t = now();
      const r = prepared(
        this.db,
        'INSERT OR IGNORE INTO content (namespace, digest, size, labels, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(ctx.namespace, digest, size, JSON.stringify(labels), t, t);
      this.leases.track(ctx, { type: 'content', id: digest });
      return r.changes > 0;
    })();
  }

  async writer(
    ctx: OpContext,
    ref: string,
    total: number,
    expected: string,
  ): Promise<NamespacedWriter> {
    if (ref === '') throw invalidArgument('ref must not be empty');
    if (expected) {
      parseDigest(expected);
      if (this.row(ctx.namespace, expected)) throw alreadyExists(`content ${expected}`);
      // Another namespace already holds the blob: share it instead of transferring it again.
      const shared = await this.blobs.info(expected).catch(() => null);
      if (shared && (total === 0 || total === shared.size)) {
        this.record(ctx, expected, shared.size, {});
        throw alreadyExists(`content ${expected}`);
      }
    }
    const w = await this.blobs.writer(this.backendRef(ctx, ref), total, expected);
    this.db.transaction(() => {
      this.namespaces.ensure(ctx.namespace);
      prepared(
        this.db,
        'INSERT OR IGNORE INTO ingests (namespace, ref, expected) VALUES (?, ?, ?)',
      ).run(ctx.namespace, ref, expected);
      this.leases.track(ctx, { type: 'ingests', id: ref });
    })();
    return new NamespacedWriter(ctx, ref, w, (digest, size, labels) => {
      prepared(this.db, 'DELETE FROM ingests WHERE namespace = ? AND ref = ?').run(
        ctx.namespace,
        ref,
      );
      return this.record(ctx, digest, size, labels);
    });
  }
}

export class NamespacedWriter {
  constructor(
    readonly ctx: OpContext,
    readonly ref: string,
    private readonly w: ContentWriter,
    private readonly recordCommit: (digest: string, size: number, labels: Labels) => boolean,
  ) {}

  status(): IngestStatus {
    return { ...this.w.status(), ref: this.ref };
  }

  write(data: Buffer): Promise<void> {
    return this.w.write(data);
  }

  truncate(size: number): Promise<void> {
    return this.w.truncate(size);
  }

  digest(): string {
    return this.w.digest();
  }

  async commit(size: number, expected: string, labels: Labels): Promise<string> {
    validateLabels(labels);
    let digest: string;
    const written = this.w.status().offset;
    try {
      digest = await this.w.commit(size, expected);
    } catch (err) {
      if (!isKind(err, 'AlreadyExists')) throw err;
      digest = this.w.digest();
    }
    if (!this.recordCommit(digest, written, labels)) throw alreadyExists(`content ${digest}`);
    return digest;
  }

  close(): Promise<void> {
    return this.w.close();
  }
}
