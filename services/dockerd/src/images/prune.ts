// POST /images/prune: removes the images no container uses (only dangling ones unless
// dangling=false, i.e. `docker image prune -a`), as Docker's containerd image store does:
// each record is untagged, and every blob that containerd's collector then removed is
// reported as Deleted, its size counted in SpaceReclaimed.
import { conflict } from '../api/errors';
import type { Filters } from '../api/filters';
import type { ContainerdConnection } from '../containerd/connection';
import { hasBlob } from '../containerd/content';
import { filterBoolean, recordFilter, selectImages } from './image-filters';
import { familiarName } from './reference';
import type { DeleteResponseItem } from './remove';
import { imageBlobs } from './save';
import type { Image, ImageStore } from './store';

export interface PruneReport {
  ImagesDeleted: DeleteResponseItem[] | null;
  SpaceReclaimed: number;
}

/** One prune at a time per image store, as Docker refuses a second one. */
const pruning = new WeakSet<ImageStore>();

/** What one pruned image lost: `names`, and the image itself when `deleted`. */
export type PrunedImage = (image: Image, names: string[], deleted: boolean) => void;

export async function pruneImages(
  connection: ContainerdConnection,
  store: ImageStore,
  filters: Filters,
  usedImageIds: ReadonlySet<string>,
  pruned: PrunedImage = () => undefined,
): Promise<PruneReport> {
  if (pruning.has(store)) throw conflict('a prune operation is already running');
  pruning.add(store);
  try {
    const dangling = filters.get('dangling')?.[0];
    const danglingOnly = dangling === undefined ? false : filterBoolean('dangling', dangling);
    // here dangling=false widens the prune to every unused image rather than naming a filter
    const rest = new Map([...filters].filter(([key]) => key !== 'dangling'));
    const filter = await recordFilter(rest, (ref) => store.resolve(ref));
    const images = await store.list();
    const nameCount = new Map(images.map((image) => [image.id, image.names.length]));
    const candidates = selectImages(images, filter).filter(
      (image) => !usedImageIds.has(image.id) && (!danglingOnly || image.names.length === 0),
    );
    const deleted: DeleteResponseItem[] = [];
    let reclaimed = 0;
    for (const image of candidates) {
      // a name that did not pass the filters stays, and so does the image
      const whole = nameCount.get(image.id) === image.names.length;
      const blobs = whole ? await imageBlobs(connection, image.target) : [];
      if (whole) await store.removeImage(image);
      else for (const name of image.names) await store.removeName(name);
      pruned(image, image.names, whole);
      for (const name of image.names) deleted.push({ Untagged: familiarName(name) });
      for (const blob of blobs) {
        if (await hasBlob(connection, blob.digest)) continue;
        deleted.push({ Deleted: blob.digest });
        reclaimed += blob.size;
      }
    }
    return { ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
  } finally {
    pruning.delete(store);
  }
}
