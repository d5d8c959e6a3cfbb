import { createHash, randomUUID } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { errorOf, invalidArgument, isKind, notFound } from '../errdefs';
import type { ContentStore } from '../metadata/content';
import type { OpContext } from '../metadata/context';
import type { Descriptor } from '../metadata/images';
import type { Mount } from '../snapshots/overlay/overlay';
import { LayerApplier, type ApplyTarget } from './apply';
import { changesTar } from './changes';
import { decompressed, decompressedSmall } from './decompress';
import { treeDiffTar } from './tree-diff';

const LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';
/**
 * Layers up to this size (compressed) are read, inflated and hashed in one synchronous step
 * each: most layers are this small, and a stream would cost them a thread-pool round trip
 * per stage, which on a busy machine is the bulk of their unpack time.
 */
const SMALL_LAYER = 1 << 20;
/** A small layer inflating past this is streamed instead (a gzip bomb is never buffered). */
const SMALL_TAR = 16 << 20;

/** The directories behind our snapshotter's mounts: an upper (if writable) over lowers. */
function layersOf(mounts: readonly Mount[]): { upper?: string; lowers: string[] } {
  if (mounts.length === 0) return { lowers: [] };
  const [m, ...rest] = mounts;
  if (!m || rest.length > 0)
    throw invalidArgument(`expected at most one mount, got ${mounts.length}`);
  const readonly = m.options.includes('ro');
  if (m.type === 'bind') return readonly ? { lowers: [m.source] } : { upper: m.source, lowers: [] };
  if (m.type === 'overlay') {
    const opt = (name: string) =>
      m.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
    const lowers = opt('lowerdir')?.split(':') ?? [];
    const upper = opt('upperdir');
    return upper ? { upper, lowers } : { lowers };
  }
  throw errorOf('NotImplemented', `unsupported mount type ${m.type}`);
}

/** A mount set's layer directories, top first. */
const stackOf = ({ upper, lowers }: { upper?: string; lowers: string[] }): string[] =>
  upper ? [upper, ...lowers] : lowers;

/** Unpacks a whole in-memory tar; its diff ID is the digest of exactly these bytes. */
async function applyBuffered(
  target: ApplyTarget,
  tar: Buffer,
): Promise<{ digest: string; size: number }> {
  await new LayerApplier(target).apply(Readable.from([tar]));
  return { digest: `sha256:${createHash('sha256').update(tar).digest('hex')}`, size: tar.length };
}

/** Where the mounts a client passes to Apply write: the upper dir of our snapshotter's mounts. */
export function targetOf(mounts: readonly Mount[]): ApplyTarget {
  const { upper, lowers } = layersOf(mounts);
  if (!upper) throw invalidArgument('cannot apply to read-only mounts');
  return { upper, lowers };
}

const GZIP_LAYER = `${LAYER_MEDIA_TYPE}+gzip`;
const UNCOMPRESSED_LABEL = 'containerd.io/uncompressed';

/**
 * Diff.Apply: unpacks a layer blob from the content store into an active snapshot and
 * reports the digest of the uncompressed tar (the layer's diff ID).
 */
export class DiffService {
  constructor(private readonly content: ContentStore) {}

  async apply(ctx: OpContext, desc: Descriptor, mounts: readonly Mount[]): Promise<Descriptor> {
    const target = targetOf(mounts);
    const { size } = this.content.info(ctx, desc.digest);
    const tar = size <= SMALL_LAYER ? this.smallLayer(desc.digest) : null;
    const diffId = tar
      ? await applyBuffered(target, tar)
      : await this.applyStreamed(ctx, desc, target);
    // No sync here, as upstream containerd 1.6 (diff/apply, archive.Apply and the overlay
    // snapshotter's Commit write through the page cache): a daemon crash loses nothing the
    // kernel holds, and only the content store's blobs, the source of truth, are fsynced.
    return { mediaType: LAYER_MEDIA_TYPE, ...diffId, annotations: {} };
  }

  /** A small layer's tar in memory, or null if it is zstd or inflates too far to buffer. */
  private smallLayer(digest: string): Buffer | null {
    let blob: Buffer;
    try {
      blob = readFileSync(this.content.blobs.blobPath(digest));
    } catch {
      throw notFound(`content digest ${digest}`);
    }
    return decompressedSmall(blob, SMALL_TAR);
  }

  /** Pipes a large layer through decompression, hashing and extraction chunk by chunk. */
  private async applyStreamed(
    ctx: OpContext,
    desc: Descriptor,
    target: ApplyTarget,
  ): Promise<{ digest: string; size: number }> {
    const tar = await decompressed(this.content.reader(ctx, desc.digest, 0, 0));
    const hash = createHash('sha256');
    let size = 0;
    // The extractor reads the same chunks; the diff ID also covers trailing padding the
    // extractor may leave unread, hence the drain below.
    tar.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    await new LayerApplier(target).apply(tar);
    if (!tar.readableEnded) {
      tar.resume();
      await finished(tar);
    }
    return { digest: `sha256:${hash.digest('hex')}`, size };
  }

  /**
   * Diff.Diff: the layer that turns `lower` into `upper`, stored in the content store (with
   * the digest of the uncompressed tar as label). Read from the upper directory when `upper`
   * is an active snapshot on top of `lower` (what ctr and dockerd commit), else by comparing
   * both trees.
   */
  async diff(
    ctx: OpContext,
    lower: readonly Mount[],
    upper: readonly Mount[],
    opts: { mediaType: string; ref: string; labels: Record<string, string> },
  ): Promise<Descriptor> {
    const mediaType = opts.mediaType || GZIP_LAYER;
    if (mediaType !== GZIP_LAYER && mediaType !== LAYER_MEDIA_TYPE) {
      throw errorOf('NotImplemented', `unsupported diff media type: ${mediaType}`);
    }
    const before = stackOf(layersOf(lower));
    const after = layersOf(upper);
    // An active snapshot directly on `lower` holds exactly the changes in its upper directory.
    const tar =
      after.upper && after.lowers.join(':') === before.join(':')
        ? changesTar(after.upper)
        : treeDiffTar(before, stackOf(after));
    const hash = createHash('sha256');
    const tap = new PassThrough();
    tap.on('data', (chunk: Buffer) => hash.update(chunk));
    tap.pause();
    tar.on('error', (err) => tap.destroy(err));
    tar.pipe(tap);
    const body = mediaType === GZIP_LAYER ? tap.pipe(createGzip()) : tap;
    if (body !== tap) tap.on('error', (err) => body.destroy(err));
    const ref = opts.ref || `diff-${randomUUID()}`;
    const w = await this.content.writer(ctx, ref, 0, '');
    try {
      let size = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        await w.write(chunk);
        size += chunk.length;
      }
      const labels = { ...opts.labels, [UNCOMPRESSED_LABEL]: `sha256:${hash.digest('hex')}` };
      const digest = await w.commit(size, '', labels).catch((err: unknown) => {
        if (!isKind(err, 'AlreadyExists')) throw err;
        return w.digest();
      });
      return { mediaType, digest, size, annotations: {} };
    } finally {
      await w.close();
    }
  }
}
