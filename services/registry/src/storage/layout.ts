// Where each record lives under the storage root. Names, tags and digests are validated
// before they reach here (see ../reference), so every path stays below the root.
//
//   blobs/<alg>/<hex[0:2]>/<hex>                          content, shared by all repositories
//   uploads/<uuid>, uploads/<uuid>.data                   upload session: owner symlink, data
//                                                         (same filesystem as blobs: published by rename)
//   repositories/<name>/_blobs/<alg>/<hex>                blob linked into the repository
//   repositories/<name>/_manifests/<alg>/<hex>            manifest revision; holds its media type
//   repositories/<name>/_tags/<tag>                       holds the tagged digest
//   repositories/<name>/_referrers/<alg>/<hex>/<alg>-<hex> descriptor of a manifest whose subject is <alg>:<hex>
// Name components never start with '_', so the internal folders cannot clash with a nested repository.
import { join } from 'node:path';
import type { Digest } from '../reference';

export class Layout {
  constructor(readonly root: string) {}

  get blobsDir(): string {
    return join(this.root, 'blobs');
  }

  get uploadsDir(): string {
    return join(this.root, 'uploads');
  }

  get repositoriesDir(): string {
    return join(this.root, 'repositories');
  }

  blob(d: Digest): string {
    return join(this.blobsDir, d.algorithm, d.hex.slice(0, 2), d.hex);
  }

  /** The session's record: a symlink whose target is the owning repository. */
  uploadOwner(id: string): string {
    return join(this.uploadsDir, id);
  }

  uploadData(id: string): string {
    return join(this.uploadsDir, `${id}.data`);
  }

  repository(name: string): string {
    return join(this.repositoriesDir, name);
  }

  repoBlobsDir(name: string): string {
    return join(this.repository(name), '_blobs');
  }

  repoBlob(name: string, d: Digest): string {
    return join(this.repoBlobsDir(name), d.algorithm, d.hex);
  }

  manifestsDir(name: string): string {
    return join(this.repository(name), '_manifests');
  }

  manifest(name: string, d: Digest): string {
    return join(this.manifestsDir(name), d.algorithm, d.hex);
  }

  tagsDir(name: string): string {
    return join(this.repository(name), '_tags');
  }

  tag(name: string, tag: string): string {
    return join(this.tagsDir(name), tag);
  }

  referrersDir(name: string): string {
    return join(this.repository(name), '_referrers');
  }

  referrers(name: string, subject: Digest): string {
    return join(this.referrersDir(name), subject.algorithm, subject.hex);
  }

  referrer(name: string, subject: Digest, d: Digest): string {
    return join(this.referrers(name, subject), `${d.algorithm}-${d.hex}`);
  }
}
