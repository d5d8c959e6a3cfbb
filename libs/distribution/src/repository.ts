// One repository of one registry: manifests and blobs fetched with their digests verified,
// and blobs and manifests pushed (existence check, cross-repository mount, upload).
import { Readable } from 'node:stream';
import { context, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { withSpan } from '@berth/telemetry';
import type { RegistryClient, RegistryRequest } from './client';
import { sha256, verifyBuffer, verifyingStream } from './digest';
import { DigestMismatchError, RegistryError } from './errors';
import { isConnectionError } from './network-errors';
import { MANIFEST_ACCEPT, type Descriptor } from './media-types';
import { splitName } from './reference';

const tracer = trace.getTracer('berth-distribution');

/** containerd's limit on a manifest or index read into memory. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** How often one blob download may resume after its connection broke. */
const MAX_RESUMES = 3;

export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Buffer;
}

export type PushResult = 'exists' | 'mounted' | 'pushed';

export interface PushBlobOptions {
  /** Another repository of the same registry that holds the blob (cross-repository mount). */
  mountFrom?: string;
  onBytes?: (total: number) => void;
}

const isDigest = (reference: string) => reference.includes(':');

export class Repository {
  /** Registry host as references name it: docker.io, 127.0.0.1:5000. */
  readonly host: string;
  /** Repository path in that registry: library/busybox. */
  readonly path: string;

  constructor(
    private readonly client: RegistryClient,
    readonly name: string,
    /** Where this repository's spans go (default: the active context). */
    private readonly trace?: Context,
  ) {
    ({ domain: this.host, path: this.path } = splitName(name));
  }

  /** This repository with its spans made part of `trace`, for callers that hand contexts down. */
  within(trace: Context): Repository {
    return new Repository(this.client, this.name, trace);
  }

  /** Fetches the manifest or index a tag or digest names, and its descriptor. */
  resolve(reference: string): Promise<FetchedManifest> {
    return withSpan(
      tracer,
      'distribution.resolve',
      {
        'registry.host': this.host,
        'registry.repository': this.path,
        'image.reference': reference,
      },
      async (span) => {
        const fetched = await this.getManifest(reference);
        span.setAttribute('image.digest', fetched.descriptor.digest);
        return fetched;
      },
      this.trace,
    );
  }

  /** Fetches a manifest or index by its descriptor (an index entry, a manifest's config…). */
  async fetchManifest(desc: Descriptor): Promise<Buffer> {
    const { bytes } = await this.getManifest(desc.digest);
    verifyBuffer(bytes, desc);
    return bytes;
  }

  /** Fetches a whole small blob (an image config) and verifies it. */
  async fetchBlobBuffer(desc: Descriptor): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.fetchBlob(desc)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * A blob as a stream that fails rather than ends when its size or digest is wrong; the
   * consumer must not commit what it wrote before the stream ended. A download cut by the
   * connection resumes where it stopped with a Range request (a few times) when the registry
   * answers it with 206.
   */
  async fetchBlob(desc: Descriptor, onBytes?: (total: number) => void): Promise<Readable> {
    const span = tracer.startSpan(
      'distribution.fetch',
      {
        attributes: {
          'registry.host': this.host,
          'registry.repository': this.path,
          'image.digest': desc.digest,
          'image.size': desc.size,
        },
      },
      this.trace ?? context.active(),
    );
    const fail = (err: Error) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      span.end();
    };
    try {
      const first = await this.openBlob(desc.digest, 0);
      const source = Readable.from(this.resumingChunks(desc.digest, first));
      const verified = source.pipe(verifyingStream(desc, onBytes));
      source.on('error', (err) => verified.destroy(err));
      verified.on('end', () => span.end());
      verified.on('error', fail);
      return verified;
    } catch (err) {
      fail(err as Error);
      throw err;
    }
  }

  private async openBlob(digest: string, offset: number): Promise<AsyncIterable<Buffer>> {
    const res = await this.client.expect(
      this.host,
      {
        method: 'GET',
        path: `/v2/${this.path}/blobs/${digest}`,
        scopes: [this.scope()],
        ...(offset > 0 ? { headers: { range: `bytes=${offset}-` } } : {}),
      },
      [offset > 0 ? 206 : 200],
    );
    return res.body;
  }

  private async *resumingChunks(
    digest: string,
    first: AsyncIterable<Buffer>,
  ): AsyncGenerator<Buffer> {
    let body = first;
    let received = 0;
    for (let resumes = 0; ; resumes++) {
      try {
        for await (const chunk of body) {
          received += chunk.length;
          yield chunk;
        }
        return;
      } catch (err) {
        if (resumes >= MAX_RESUMES || received === 0 || !isConnectionError(err)) throw err;
        body = await this.openBlob(digest, received);
      }
    }
  }

  /** The repository's tags (GET /v2/<name>/tags/list); fails when the repository is unknown. */
  async tags(): Promise<string[]> {
    const res = await this.client.expect(
      this.host,
      { method: 'GET', path: `/v2/${this.path}/tags/list`, scopes: [this.scope()] },
      [200],
    );
    const body = (await res.body.json()) as { tags?: string[] | null };
    return body.tags ?? [];
  }

  async blobExists(digest: string): Promise<boolean> {
    const res = await this.client.send(this.host, {
      method: 'HEAD',
      path: `/v2/${this.path}/blobs/${digest}`,
      scopes: [this.scope()],
    });
    await res.body.dump();
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw new RegistryError(res.statusCode, [], `HEAD blob ${digest}: status ${res.statusCode}`);
  }

  /**
   * Pushes a blob unless the repository has it: mounted from `mountFrom` when the registry
   * allows, else uploaded, in one PUT for a buffer or streamed with PATCH then PUT.
   */
  async pushBlob(
    desc: Descriptor,
    body: () => Buffer | Readable | AsyncIterable<Buffer>,
    options: PushBlobOptions = {},
  ): Promise<PushResult> {
    if (await this.blobExists(desc.digest)) return 'exists';
    const mount = options.mountFrom && options.mountFrom !== this.path ? options.mountFrom : '';
    const start = await this.client.expect(
      this.host,
      {
        method: 'POST',
        path: `/v2/${this.path}/blobs/uploads/${mount ? `?mount=${desc.digest}&from=${mount}` : ''}`,
        scopes: mount
          ? [this.scope('pull,push'), `repository:${mount}:pull`]
          : [this.scope('pull,push')],
      },
      [201, 202],
    );
    await start.body.dump();
    if (start.statusCode === 201) return 'mounted';
    let location = locationOf(start, 'upload start');
    const upload = body();
    if (!Buffer.isBuffer(upload)) {
      const patch = await this.client.expect(
        this.host,
        {
          method: 'PATCH',
          path: location,
          scopes: [this.scope('pull,push')],
          headers: { 'content-type': 'application/octet-stream' },
          body: () => countBytes(upload, options.onBytes),
        },
        [202, 204],
      );
      await patch.body.dump();
      location = locationOf(patch, 'upload chunk');
    }
    const put = await this.client.expect(
      this.host,
      {
        method: 'PUT',
        path: withQuery(location, { digest: desc.digest }),
        scopes: [this.scope('pull,push')],
        headers: { 'content-type': 'application/octet-stream' },
        ...(Buffer.isBuffer(upload) ? { body: () => upload } : {}),
      },
      [201, 204],
    );
    await put.body.dump();
    if (Buffer.isBuffer(upload)) options.onBytes?.(upload.length);
    return 'pushed';
  }

  /** PUTs a manifest or index under a tag or its digest; returns the digest the registry gave it. */
  async pushManifest(reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const digest = sha256(bytes);
    const res = await this.client.expect(
      this.host,
      {
        method: 'PUT',
        path: `/v2/${this.path}/manifests/${reference}`,
        scopes: [this.scope('pull,push')],
        headers: { 'content-type': mediaType },
        body: () => bytes,
      },
      [200, 201, 202],
    );
    await res.body.dump();
    const answered = header(res.headers['docker-content-digest']);
    if (answered && answered !== digest) {
      throw new DigestMismatchError(`registry stored manifest as ${answered}, expected ${digest}`);
    }
    return digest;
  }

  private async getManifest(reference: string): Promise<FetchedManifest> {
    const req: RegistryRequest = {
      method: 'GET',
      path: `/v2/${this.path}/manifests/${reference}`,
      scopes: [this.scope()],
      headers: { accept: MANIFEST_ACCEPT },
    };
    const res = await this.client.expect(this.host, req, [200]);
    const length = Number(header(res.headers['content-length']) ?? 0);
    if (length > MAX_MANIFEST_BYTES) {
      await res.body.dump();
      throw new Error(`manifest ${reference} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    }
    const bytes = Buffer.from(await res.body.arrayBuffer());
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new Error(`manifest ${reference} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    }
    const digest = sha256(bytes);
    const claimed = isDigest(reference) ? reference : header(res.headers['docker-content-digest']);
    if (claimed && claimed !== digest) {
      throw new DigestMismatchError(`manifest ${reference}: expected ${claimed}, got ${digest}`);
    }
    return {
      descriptor: { mediaType: mediaTypeOf(bytes, res), digest, size: bytes.length },
      bytes,
    };
  }

  private scope(actions = 'pull'): string {
    return `repository:${this.path}:${actions}`;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The manifest's own mediaType field, else the Content-Type the registry served it with. */
function mediaTypeOf(
  bytes: Buffer,
  res: { headers: Record<string, string | string[] | undefined> },
) {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string' && parsed.mediaType) return parsed.mediaType;
  } catch {
    throw new Error('manifest is not JSON');
  }
  return (header(res.headers['content-type']) ?? '').split(';')[0]!.trim();
}

function locationOf(res: { headers: Record<string, string | string[] | undefined> }, what: string) {
  const location = header(res.headers.location);
  if (!location) throw new Error(`${what}: registry sent no Location`);
  return location;
}

/** Adds query parameters to a Location, which may be absolute or a path with its own query. */
function withQuery(location: string, params: Record<string, string>): string {
  const absolute = /^https?:\/\//.test(location);
  const url = new URL(location, 'http://registry.invalid');
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return absolute ? url.href : url.pathname + url.search;
}

async function* countBytes(
  source: Readable | AsyncIterable<Buffer>,
  onBytes?: (total: number) => void,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    onBytes?.(total);
    yield chunk;
  }
}
