// Mark and sweep while the registry serves. Per repository, manifests reachable from a tag
// (through index children and referrers) are kept, and so are the blobs they name; untagged
// revisions and unreferenced links go. Then blob files no repository keeps are removed.
// Anything younger than the grace period, pinned by a push in flight, or used by a client
// since the cutoff survives (see storage/liveness), so a concurrent push never loses a blob.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type Digest, formatDigest, parseDigest } from '../reference';
import type { Storage } from '../storage';
import { listDir, removeFile, statOrNull } from '../storage/fsutil';
import { parseManifest } from '../storage/manifest-format';

export interface GcReport {
  manifests: number;
  links: number;
  blobs: number;
  uploads: number;
}

/** Upload sessions idle this long are abandoned (clients resume within minutes, not days). */
const ABANDONED_UPLOAD_MS = 24 * 60 * 60 * 1000;

interface ManifestRefs {
  blobs: string[];
  children: string[];
  subject?: string;
}

async function isYoung(path: string, cutoff: number): Promise<boolean> {
  const st = await statOrNull(path);
  return st === null || st.mtimeMs >= cutoff;
}

async function readRefs(storage: Storage, repo: string, d: Digest): Promise<ManifestRefs | null> {
  try {
    const mediaType = await storage.manifests.mediaTypeOf(repo, d);
    if (mediaType === null) return null;
    const parsed = parseManifest(await storage.manifests.read(d), mediaType);
    return {
      blobs: parsed.blobs.map((b) => b.digest),
      children: parsed.manifests.map((m) => m.digest),
      subject: parsed.subject?.digest,
    };
  } catch {
    return null;
  }
}

/** Revisions of `repo` to keep, with the blobs they reference. */
async function markRepository(
  storage: Storage,
  repo: string,
  cutoff: number,
): Promise<{ revisions: Digest[]; keep: Set<string>; blobs: Set<string> }> {
  const revisions = await storage.manifests.revisions(repo);
  const refs = new Map<string, ManifestRefs | null>();
  for (const d of revisions) refs.set(formatDigest(d), await readRefs(storage, repo, d));
  const keep = new Set<string>((await storage.manifests.tagTargets(repo)).values());
  for (const d of revisions) {
    if (await isYoung(storage.layout.manifest(repo, d), cutoff)) keep.add(formatDigest(d));
  }
  // Fixpoint: children of kept indexes, and referrers of kept subjects.
  let grew = true;
  while (grew) {
    grew = false;
    for (const [digest, r] of refs) {
      if (!r) continue;
      const adds = keep.has(digest) ? r.children : r.subject && keep.has(r.subject) ? [digest] : [];
      for (const a of adds) {
        if (!keep.has(a)) {
          keep.add(a);
          grew = true;
        }
      }
    }
  }
  const blobs = new Set<string>();
  for (const digest of keep) for (const b of refs.get(digest)?.blobs ?? []) blobs.add(b);
  return { revisions, keep, blobs };
}

async function repoLinks(storage: Storage, repo: string): Promise<Digest[]> {
  const root = storage.layout.repoBlobsDir(repo);
  const out: Digest[] = [];
  for (const algorithm of await listDir(root)) {
    for (const hex of await listDir(join(root, algorithm))) {
      try {
        out.push(parseDigest(`${algorithm}:${hex}`));
      } catch {
        // not a link
      }
    }
  }
  return out;
}

export async function collectGarbage(
  storage: Storage,
  graceMs: number,
  log?: Logger,
): Promise<GcReport> {
  const cutoff = Date.now() - graceMs;
  const report: GcReport = { manifests: 0, links: 0, blobs: 0, uploads: 0 };
  const live = new Set<string>();
  const { liveness } = storage;
  for (const repo of await storage.repositories()) {
    const { revisions, keep, blobs } = await markRepository(storage, repo, cutoff);
    for (const d of revisions) {
      const digest = formatDigest(d);
      const removed =
        !keep.has(digest) &&
        (await liveness.deleteIfIdle(digest, cutoff, () =>
          storage.manifests.deleteRevision(repo, d).catch(() => undefined),
        ));
      if (removed) report.manifests++;
      else live.add(digest);
    }
    for (const d of await repoLinks(storage, repo)) {
      const digest = formatDigest(d);
      const removed =
        !blobs.has(digest) &&
        !(await isYoung(storage.layout.repoBlob(repo, d), cutoff)) &&
        (await liveness.deleteIfIdle(digest, cutoff, async () => {
          await storage.blobs.unlink(repo, d);
        }));
      if (removed) report.links++;
      else live.add(digest);
    }
  }
  for (const algorithm of await listDir(storage.layout.blobsDir)) {
    for (const prefix of await listDir(join(storage.layout.blobsDir, algorithm))) {
      for (const hex of await listDir(join(storage.layout.blobsDir, algorithm, prefix))) {
        const digest = `${algorithm}:${hex}`;
        if (live.has(digest)) continue;
        let d: Digest;
        try {
          d = parseDigest(digest);
        } catch {
          continue;
        }
        const path = storage.layout.blob(d);
        const removed =
          !(await isYoung(path, cutoff)) &&
          (await liveness.deleteIfIdle(digest, cutoff, async () => {
            await removeFile(path);
          }));
        if (removed) report.blobs++;
      }
    }
  }
  report.uploads = await storage.uploads.purgeIdle(
    Date.now() - Math.max(graceMs, ABANDONED_UPLOAD_MS),
  );
  liveness.forget(cutoff);
  log?.info({ ...report }, 'garbage collection finished');
  return report;
}

/** Runs collections every `intervalMs`, one at a time; returns a stop function. */
export function scheduleGarbageCollection(
  storage: Storage,
  intervalMs: number,
  graceMs: number,
  log: Logger,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    collectGarbage(storage, graceMs, log)
      .catch((err: unknown) => log.error({ err }, 'garbage collection failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
