// containerd's distribution source labels: which repositories of which registry hold a blob
// ("containerd.io/distribution.source.<host>" = "repo,other/repo"), set on pull and push.
// Push mounts a blob from a repository named there; RepoDigests are shown for names whose
// repository holds the image's manifest.
import { splitName } from '@berth/distribution';
import type { ContainerdConnection } from '../containerd/connection';
import { GrpcCode, grpcCode } from '../containerd/connection';
import { labelBlob } from '../containerd/content';

const PREFIX = 'containerd.io/distribution.source.';

export async function blobLabels(
  connection: ContainerdConnection,
  digest: string,
): Promise<Record<string, string> | undefined> {
  try {
    const { info } = await connection.call<{ info: { labels?: Record<string, string> } }>(
      'content',
      'Info',
      { digest },
    );
    return info.labels ?? {};
  } catch (err) {
    if (grpcCode(err) === GrpcCode.NOT_FOUND) return undefined;
    throw err;
  }
}

/** Repositories of `host` the labels say hold the blob. */
export function sourceRepositories(labels: Record<string, string>, host: string): string[] {
  return (labels[PREFIX + host] ?? '').split(',').filter(Boolean);
}

/** The label naming repository `name` (no tag) next to those already recorded. */
export function sourceLabel(
  name: string,
  existing: Record<string, string> = {},
): Record<string, string> {
  const { domain, path } = splitName(name);
  const repos = sourceRepositories(existing, domain);
  return { [PREFIX + domain]: [...new Set([...repos, path])].join(',') };
}

/** Records that the blobs are in `name`'s repository. */
export async function addSource(
  connection: ContainerdConnection,
  name: string,
  digests: readonly string[],
): Promise<void> {
  for (const digest of new Set(digests)) {
    const labels = await blobLabels(connection, digest);
    if (labels) await labelBlob(connection, digest, sourceLabel(name, labels));
  }
}

/** Does `name`'s repository hold the blob, by its labels? */
export function isFrom(labels: Record<string, string>, name: string): boolean {
  const { domain, path } = splitName(name);
  return sourceRepositories(labels, domain).includes(path);
}
