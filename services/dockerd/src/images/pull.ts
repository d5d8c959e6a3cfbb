// docker pull with the containerd image store: manifests, config and layers fetched from the
// registry (verified by @berth/distribution) into containerd's content store under a lease,
// layers unpacked into snapshots, then the image record named. Progress goes out as Docker's
// JSON messages.
import {
  familiarName,
  formatReference,
  hostPlatform,
  isIndexType,
  mapLimited,
  selectPlatform,
  splitName,
  type Descriptor,
  type FetchedManifest,
  type ImageIndex,
  type ImageManifest,
  type Reference,
  type Repository,
} from '@berth/distribution';
import { trace } from '@opentelemetry/api';
import { withSpan } from '@berth/telemetry';
import type { ContainerdConnection } from '../containerd/connection';
import { bufferChunks, labelBlob, writeBlob } from '../containerd/content';
import { withLease } from '../containerd/leases';
import { addSource, blobLabels, sourceLabel } from './distribution-source';
import { indexGcLabels, manifestGcLabels } from './gc-labels';
import type { ImageConfig } from './media-types';
import { shortDigest, type ProgressStream } from './progress';
import type { ImageStore } from './store';
import { SNAPSHOTTER, unpackLayers } from './unpack';

const tracer = trace.getTracer('berth-dockerd');

/** Docker's default --max-concurrent-downloads. */
const CONCURRENT_DOWNLOADS = 3;

export interface PullDeps {
  connection: ContainerdConnection;
  images: ImageStore;
}

/** Reference with the tag or digest a pull needs, and what the registry resolved it to. */
export interface ResolvedPull {
  ref: Reference;
  repo: Repository;
  top: FetchedManifest;
}

export async function resolvePull(repo: Repository, ref: Reference): Promise<ResolvedPull> {
  const top = await repo.resolve(ref.digest ?? ref.tag ?? 'latest');
  return { ref, repo, top };
}

export function pullImage(deps: PullDeps, pull: ResolvedPull, out: ProgressStream): Promise<void> {
  const name = formatReference(pull.ref);
  return withSpan(
    tracer,
    'dockerd.image.pull',
    { 'container.image.name': familiarName(name), 'image.digest': pull.top.descriptor.digest },
    (_span, trace) => {
      // The pull's context goes down explicitly: dockerd does not follow it through awaits.
      const connection = deps.connection.tracing(trace);
      const traced = { ...pull, repo: pull.repo.within(trace) };
      return withLease(connection, (lease) =>
        pullUnderLease({ ...deps, connection }, traced, out, lease),
      );
    },
  );
}

async function pullUnderLease(
  deps: PullDeps,
  { ref, repo, top }: ResolvedPull,
  out: ProgressStream,
  lease: string,
): Promise<void> {
  const { connection } = deps;
  const name = formatReference(ref);
  out.status(`Pulling from ${splitName(ref.name).path}`, ref.tag ?? ref.digest);
  const store = (bytes: Buffer, labels: Record<string, string>) =>
    writeBlob(connection, bufferChunks(bytes), {
      lease,
      labels: { ...labels, ...sourceLabel(ref.name) },
    });

  let manifestDesc = top.descriptor;
  let manifestBytes = top.bytes;
  if (isIndexType(top.descriptor.mediaType)) {
    const index = JSON.parse(top.bytes.toString('utf8')) as ImageIndex;
    const platform = hostPlatform();
    const chosen = selectPlatform(index, platform);
    if (!chosen) {
      throw new Error(
        `no matching manifest for ${platform.os}/${platform.architecture} in the manifest list entries`,
      );
    }
    manifestDesc = chosen;
    manifestBytes = await repo.fetchManifest(chosen);
    await store(top.bytes, indexGcLabels(index));
  }
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as ImageManifest;
  const configBytes = await repo.fetchBlobBuffer(manifest.config);
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) {
    throw new Error(
      `${manifestDesc.digest}: config lists ${diffIds.length} layers, manifest ${manifest.layers.length}`,
    );
  }

  const fetched = await fetchLayers(deps, repo, manifest.layers, diffIds, lease, out);
  await store(configBytes, {});
  await store(manifestBytes, manifestGcLabels(manifest));
  await addSource(connection, ref.name, [
    top.descriptor.digest,
    manifestDesc.digest,
    manifest.config.digest,
  ]);

  // one layer at a time, so that each gets its Extracting / Pull complete lines
  let chainId = '';
  for (const [i, layer] of manifest.layers.entries()) {
    const id = shortDigest(layer.digest);
    if (fetched[i]) out.status('Extracting', id);
    chainId = await unpackLayers(
      connection,
      manifest.layers.slice(0, i + 1),
      diffIds.slice(0, i + 1),
      lease,
    );
    if (fetched[i]) out.status('Pull complete', id);
  }
  if (chainId) {
    await labelBlob(connection, manifest.config.digest, {
      [`containerd.io/gc.ref.snapshot.${SNAPSHOTTER}`]: chainId,
    });
  }

  const before = await deps.images.targetOf(name);
  await deps.images.setName(name, top.descriptor);
  out.status(`Digest: ${top.descriptor.digest}`);
  out.status(
    before?.digest === top.descriptor.digest
      ? `Status: Image is up to date for ${familiarName(name)}`
      : `Status: Downloaded newer image for ${familiarName(name)}`,
  );
}

/**
 * Layers not yet in containerd, fetched a few at a time and committed once verified; returns
 * which layers were fetched (the others were there already).
 */
async function fetchLayers(
  { connection }: PullDeps,
  repo: Repository,
  layers: readonly Descriptor[],
  diffIds: readonly string[],
  lease: string,
  out: ProgressStream,
): Promise<boolean[]> {
  const present = await Promise.all(layers.map((l) => blobLabels(connection, l.digest)));
  for (const [i, layer] of layers.entries()) {
    out.status(present[i] ? 'Already exists' : 'Pulling fs layer', shortDigest(layer.digest));
  }
  await mapLimited(layers, CONCURRENT_DOWNLOADS, async (layer, i) => {
    const id = shortDigest(layer.digest);
    if (present[i]) return;
    const body = await repo.fetchBlob(layer, (bytes) =>
      out.progress('Downloading', id, bytes, layer.size),
    );
    await writeBlob(connection, body, {
      lease,
      labels: { 'containerd.io/uncompressed': diffIds[i]!, ...sourceLabel(repo.name) },
    });
    out.status('Verifying Checksum', id);
    out.status('Download complete', id);
  });
  await addSource(
    connection,
    repo.name,
    layers.map((l) => l.digest),
  );
  return present.map((labels) => !labels);
}
