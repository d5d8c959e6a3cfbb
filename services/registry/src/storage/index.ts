// The filesystem storage of one registry root.
import { BlobStore } from './blobs';
import { Layout } from './layout';
import { Liveness } from './liveness';
import { ManifestStore } from './manifests';
import { listRepositories } from './repositories';
import { UploadStore } from './uploads';

export class Storage {
  readonly layout: Layout;
  readonly liveness = new Liveness();
  readonly blobs: BlobStore;
  readonly uploads: UploadStore;
  readonly manifests: ManifestStore;

  constructor(root: string) {
    this.layout = new Layout(root);
    this.blobs = new BlobStore(this.layout, this.liveness);
    this.uploads = new UploadStore(this.layout, this.blobs);
    this.manifests = new ManifestStore(this.layout, this.blobs, this.liveness);
  }

  repositories(): Promise<string[]> {
    return listRepositories(this.layout);
  }
}

export type { Descriptor } from './manifest-format';
