// Manifests, tags and the referrers index of each repository. Manifest bytes live in the
// shared blob store; the repository records the revision (with its media type), its tags
// and, for manifests with a subject, a referrer descriptor under the subject's digest.
import { readFile } from 'node:fs/promises';
import { RegistryError } from '../errors';
import {
  type Digest,
  digestOf,
  formatDigest,
  isTag,
  looksLikeDigest,
  parseDigest,
} from '../reference';
import type { BlobStore } from './blobs';
import { listDir, readTextOrNull, removeFile, statOrNull, writeFileAtomic } from './fsutil';
import type { Layout } from './layout';
import type { Liveness } from './liveness';
import { type Descriptor, parseManifest } from './manifest-format';

export interface ResolvedManifest {
  digest: Digest;
  mediaType: string;
}

export interface PutResult {
  digest: string;
  subject?: string;
}

function manifestUnknown(reference: string): RegistryError {
  return new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown to registry', { reference });
}

/** A reference is a tag or a digest; anything else names nothing we could store. */
export function parseReference(reference: string): { tag: string } | { digest: Digest } {
  if (looksLikeDigest(reference)) return { digest: parseDigest(reference) };
  if (!isTag(reference)) {
    throw new RegistryError('TAG_INVALID', 'invalid tag', { tag: reference });
  }
  return { tag: reference };
}

export class ManifestStore {
  constructor(
    private readonly layout: Layout,
    private readonly blobs: BlobStore,
    private readonly liveness: Liveness,
  ) {}

  async put(
    repo: string,
    reference: string,
    bytes: Buffer,
    contentType: string | undefined,
  ): Promise<PutResult> {
    const ref = parseReference(reference);
    const parsed = parseManifest(bytes, contentType);
    const digest = parseDigest(digestOf(bytes, 'digest' in ref ? ref.digest.algorithm : 'sha256'));
    const digestText = formatDigest(digest);
    if ('digest' in ref && formatDigest(ref.digest) !== digestText) {
      throw new RegistryError('DIGEST_INVALID', 'manifest digest does not match its content', {
        expected: formatDigest(ref.digest),
        actual: digestText,
      });
    }
    const release = await this.liveness.pin([
      digestText,
      ...parsed.blobs.map((d) => d.digest),
      ...parsed.manifests.map((d) => d.digest),
    ]);
    try {
      await this.assertReferencesPresent(repo, parsed.blobs, parsed.manifests);
      await this.blobs.commitBytes(bytes, digest);
      await writeFileAtomic(this.layout.manifest(repo, digest), parsed.mediaType);
      if (parsed.subject) {
        const entry: Descriptor = {
          mediaType: parsed.mediaType,
          digest: digestText,
          size: bytes.length,
          ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
          ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
        };
        const subject = parseDigest(parsed.subject.digest);
        await writeFileAtomic(this.layout.referrer(repo, subject, digest), JSON.stringify(entry));
      }
      if ('tag' in ref) await writeFileAtomic(this.layout.tag(repo, ref.tag), digestText);
    } finally {
      release();
    }
    return { digest: digestText, subject: parsed.subject?.digest };
  }

  private async assertReferencesPresent(
    repo: string,
    blobs: Descriptor[],
    manifests: Descriptor[],
  ): Promise<void> {
    const checks = [
      // Foreign layers (with urls) are fetched from elsewhere, as upstream allows.
      ...blobs
        .filter((d) => !d.urls?.length)
        .map(async (d) => {
          const dg = parseDigest(d.digest);
          return (await this.blobs.isLinked(repo, dg)) && (await this.blobs.exists(dg)) ? null : d;
        }),
      ...manifests.map(async (d) => ((await this.has(repo, parseDigest(d.digest))) ? null : d)),
    ];
    const missing = (await Promise.all(checks)).find((d) => d !== null);
    if (missing) {
      throw new RegistryError('MANIFEST_BLOB_UNKNOWN', 'manifest references an unknown blob', {
        digest: missing.digest,
      });
    }
  }

  async has(repo: string, d: Digest): Promise<boolean> {
    return (
      (await statOrNull(this.layout.manifest(repo, d))) !== null && (await this.blobs.exists(d))
    );
  }

  async resolve(repo: string, reference: string): Promise<ResolvedManifest> {
    // A name that could never be stored is simply not there.
    if (!looksLikeDigest(reference) && !isTag(reference)) throw manifestUnknown(reference);
    const ref = parseReference(reference);
    let digest: Digest;
    if ('tag' in ref) {
      const target = await readTextOrNull(this.layout.tag(repo, ref.tag));
      if (target === null) throw manifestUnknown(reference);
      digest = parseDigest(target);
    } else {
      digest = ref.digest;
    }
    const mediaType = await this.mediaTypeOf(repo, digest);
    if (mediaType === null) throw manifestUnknown(reference);
    this.liveness.touch(formatDigest(digest));
    return { digest, mediaType };
  }

  /** The stored media type of a revision, or null; unlike resolve, not a client's use. */
  async mediaTypeOf(repo: string, d: Digest): Promise<string | null> {
    return readTextOrNull(this.layout.manifest(repo, d));
  }

  async read(d: Digest): Promise<Buffer> {
    return readFile(this.layout.blob(d));
  }

  /** Deletes a tag, or a revision with every tag and referrer entry that points at it. */
  async delete(repo: string, reference: string): Promise<void> {
    if (!looksLikeDigest(reference) && !isTag(reference)) throw manifestUnknown(reference);
    const ref = parseReference(reference);
    if ('tag' in ref) {
      if (!(await removeFile(this.layout.tag(repo, ref.tag)))) throw manifestUnknown(reference);
      return;
    }
    await this.deleteRevision(repo, ref.digest, reference);
  }

  async deleteRevision(repo: string, d: Digest, reference = formatDigest(d)): Promise<void> {
    const path = this.layout.manifest(repo, d);
    if (!(await statOrNull(path))) throw manifestUnknown(reference);
    const subject = await this.subjectOf(d);
    const digestText = formatDigest(d);
    for (const [tag, target] of await this.tagTargets(repo)) {
      if (target === digestText) await removeFile(this.layout.tag(repo, tag));
    }
    if (subject) await removeFile(this.layout.referrer(repo, subject, d));
    await removeFile(path);
  }

  private async subjectOf(d: Digest): Promise<Digest | undefined> {
    try {
      const body = JSON.parse((await this.read(d)).toString('utf8')) as {
        subject?: { digest?: string };
      };
      return body.subject?.digest ? parseDigest(body.subject.digest) : undefined;
    } catch {
      return undefined;
    }
  }

  async repositoryExists(repo: string): Promise<boolean> {
    return (await statOrNull(this.layout.repository(repo))) !== null;
  }

  async tags(repo: string): Promise<string[]> {
    if (!(await this.repositoryExists(repo))) {
      throw new RegistryError('NAME_UNKNOWN', 'repository name not known to registry', {
        name: repo,
      });
    }
    return (await listDir(this.layout.tagsDir(repo))).filter(isTag).sort();
  }

  /** Tag name → digest text for every tag of the repository. */
  async tagTargets(repo: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const tag of await listDir(this.layout.tagsDir(repo))) {
      if (!isTag(tag)) continue;
      const target = await readTextOrNull(this.layout.tag(repo, tag));
      if (target !== null) out.set(tag, target);
    }
    return out;
  }

  /** Descriptors of the repository's manifests whose subject is `subject`. */
  async referrers(repo: string, subject: Digest, artifactType?: string): Promise<Descriptor[]> {
    const dir = this.layout.referrers(repo, subject);
    const out: Descriptor[] = [];
    for (const name of (await listDir(dir)).sort()) {
      const text = await readTextOrNull(`${dir}/${name}`);
      if (text === null) continue;
      const entry = JSON.parse(text) as Descriptor;
      if (artifactType !== undefined && entry.artifactType !== artifactType) continue;
      if (await this.has(repo, parseDigest(entry.digest))) out.push(entry);
    }
    return out;
  }

  /** Digests of every manifest revision stored in the repository. */
  async revisions(repo: string): Promise<Digest[]> {
    const out: Digest[] = [];
    const root = this.layout.manifestsDir(repo);
    for (const algorithm of await listDir(root)) {
      for (const hex of await listDir(`${root}/${algorithm}`)) {
        try {
          out.push(parseDigest(`${algorithm}:${hex}`));
        } catch {
          // A stray file (e.g. an interrupted temp file) is not a revision.
        }
      }
    }
    return out;
  }
}
