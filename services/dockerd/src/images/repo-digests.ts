// RepoDigests as Docker's containerd image store shows them: "repo@sha256:<manifest digest>"
// for a name pulled by digest, and for a tagged name whose repository the manifest was pulled
// from or pushed to (its distribution source label says so). A loaded image has none.
import { familiarName, parseReference } from '@berth/distribution';
import type { ContainerdConnection } from '../containerd/connection';
import { blobLabels, isFrom } from './distribution-source';

export async function repoDigestOf(
  connection: ContainerdConnection,
  name: string,
  targetDigest: string,
): Promise<string | undefined> {
  const ref = parseReference(name);
  const repoDigest = familiarName(`${ref.name}@${targetDigest}`);
  if (ref.digest) return repoDigest;
  const labels = await blobLabels(connection, targetDigest);
  return labels && isFrom(labels, ref.name) ? repoDigest : undefined;
}

/** Names shown as RepoTags: those with a tag (a digest name is a RepoDigest). */
export const isTagName = (name: string) => !name.includes('@');
