// docker push with the containerd image store: the image's blobs read from containerd's
// content store and pushed (or found, or mounted from another repository of the registry),
// then its manifest (and index) put under the tag. Progress goes out as Docker's JSON messages.
import {
  familiarName,
  formatReference,
  isIndexType,
  mapLimited,
  splitName,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type Reference,
  type Repository,
} from '@berth/distribution';
import { trace } from '@opentelemetry/api';
import { withSpan } from '@berth/telemetry';
import type { ContainerdConnection } from '../containerd/connection';
import { readBlob } from '../containerd/content';
import { addSource, blobLabels, sourceRepositories } from './distribution-source';
import { shortDigest, type ProgressStream } from './progress';

const tracer = trace.getTracer('berth-dockerd');

/** Docker's default --max-concurrent-uploads. */
const CONCURRENT_UPLOADS = 5;

export interface PushRequest {
  /** The tagged name being pushed (127.0.0.1:5000/berth/small:latest). */
  ref: Reference & { tag: string };
  /** What the name points at: a manifest or an index. */
  target: Descriptor;
  repo: Repository;
}

export function pushImage(
  connection: ContainerdConnection,
  push: PushRequest,
  out: ProgressStream,
): Promise<void> {
  const name = formatReference(push.ref);
  return withSpan(
    tracer,
    'dockerd.image.push',
    { 'container.image.name': familiarName(name), 'image.digest': push.target.digest },
    (_span, trace) => pushManifestTree(connection.tracing(trace), push, out),
  );
}

async function pushManifestTree(
  connection: ContainerdConnection,
  { ref, target, repo }: PushRequest,
  out: ProgressStream,
): Promise<void> {
  out.status(`The push refers to repository [${familiarName(ref.name)}]`);
  const targetBytes = await readBlob(connection, target.digest);
  const pushed: string[] = [target.digest];
  if (isIndexType(target.mediaType)) {
    // every platform of the index that containerd holds; a missing one cannot be pushed
    const index = JSON.parse(targetBytes.toString('utf8')) as ImageIndex;
    for (const child of index.manifests) {
      if (!(await blobLabels(connection, child.digest))) {
        throw new Error(`content of ${child.digest} is missing: pull all platforms first`);
      }
      const bytes = await readBlob(connection, child.digest);
      pushed.push(...(await pushManifestBlobs(connection, repo, bytes, out)));
      await repo.pushManifest(child.digest, bytes, child.mediaType);
      pushed.push(child.digest);
    }
  } else {
    pushed.push(...(await pushManifestBlobs(connection, repo, targetBytes, out)));
  }
  const digest = await repo.pushManifest(ref.tag, targetBytes, target.mediaType);
  await addSource(connection, ref.name, pushed);
  out.status(`${ref.tag}: digest: ${digest} size: ${targetBytes.length}`);
  out.aux({ Tag: ref.tag, Digest: digest, Size: targetBytes.length });
}

/** Pushes a manifest's layers (with progress) and config; returns their digests. */
async function pushManifestBlobs(
  connection: ContainerdConnection,
  repo: Repository,
  manifestBytes: Buffer,
  out: ProgressStream,
): Promise<string[]> {
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as ImageManifest;
  // Docker lists the top layer first
  const layers = [...manifest.layers].reverse();
  for (const layer of layers) out.status('Preparing', shortDigest(layer.digest));
  await mapLimited(layers, CONCURRENT_UPLOADS, async (layer) => {
    const id = shortDigest(layer.digest);
    const mountFrom = await mountSource(connection, repo, layer);
    const result = await repo.pushBlob(layer, () => contentStream(connection, layer.digest), {
      ...(mountFrom ? { mountFrom } : {}),
      onBytes: (bytes) => out.progress('Pushing', id, bytes, layer.size),
    });
    if (result === 'exists') out.status('Layer already exists', id);
    else if (result === 'mounted') out.status(`Mounted from ${mountFrom}`, id);
    else out.status('Pushed', id);
  });
  const config = await readBlob(connection, manifest.config.digest);
  await repo.pushBlob(manifest.config, () => config);
  return [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
}

/** Another repository of the same registry that the blob came from or went to. */
async function mountSource(
  connection: ContainerdConnection,
  repo: Repository,
  blob: Descriptor,
): Promise<string | undefined> {
  const labels = (await blobLabels(connection, blob.digest)) ?? {};
  return sourceRepositories(labels, splitName(repo.name).domain).find((r) => r !== repo.path);
}

async function* contentStream(
  connection: ContainerdConnection,
  digest: string,
): AsyncGenerator<Buffer> {
  for await (const res of connection.serverStream<{ data: Buffer }>('content', 'Read', {
    digest,
    offset: '0',
    size: '0',
  })) {
    yield res.data;
  }
}
