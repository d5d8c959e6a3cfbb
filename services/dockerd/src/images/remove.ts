// DELETE /images/{name}: Docker's containerd image store semantics. A name is untagged; the
// image itself goes with its last name unless a container uses it (then it must be forced,
// and stays as a dangling image for that container). An ID deletes every name at once.
// Running containers are a hard conflict, stopped ones and several names a soft one.
import { conflict } from '../api/errors';
import { familiarName, formatReference, parseReference, withDefaultTag } from './reference';
import type { Image, ImageStore } from './store';

export interface ImageUser {
  id: string;
  running: boolean;
}

/** ImageDeleteResponseItem: exactly one of the two is set. */
export interface DeleteResponseItem {
  Untagged?: string;
  Deleted?: string;
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export async function deleteImage(
  store: ImageStore,
  users: (imageId: string) => ImageUser[],
  input: string,
  force: boolean,
): Promise<DeleteResponseItem[]> {
  const image = await store.resolve(input);
  const named = namedReference(input, image);
  if (named && image.names.length > 1) {
    await store.removeName(named);
    return [{ Untagged: familiarName(named) }];
  }
  const user = users(image.id)[0];
  if (named && user) {
    if (!force) {
      throw conflict(
        `conflict: unable to delete ${familiarName(named)} (must be forced) - container ${short(user.id)} is using its referenced image ${short(image.id)}`,
      );
    }
    // the container still needs the image: it stays, nameless
    await store.keepDangling(image.target);
    await store.removeName(named);
    return [{ Untagged: familiarName(named) }];
  }
  checkDeleteConflicts(image, users(image.id), { force, byName: named !== undefined });
  await store.removeImage(image);
  return [...image.names.map((name) => ({ Untagged: familiarName(name) })), { Deleted: image.id }];
}

/** Throws Docker's conflict for the first reason the whole image may not go. */
export function checkDeleteConflicts(
  image: Image,
  users: readonly ImageUser[],
  options: { force: boolean; byName: boolean },
): void {
  const running = users.find((u) => u.running);
  if (running) {
    throw conflict(
      `conflict: unable to delete ${short(image.id)} (cannot be forced) - image is being used by running container ${short(running.id)}`,
    );
  }
  if (options.force) return;
  const stopped = users[0];
  if (stopped) {
    throw conflict(
      `conflict: unable to delete ${short(image.id)} (must be forced) - image is being used by stopped container ${short(stopped.id)}`,
    );
  }
  if (!options.byName && image.names.length > 1) {
    throw conflict(
      `conflict: unable to delete ${short(image.id)} (must be forced) - image is referenced in multiple repositories`,
    );
  }
}

/** The stored name `input` refers to, when it is a name of this image rather than an ID. */
function namedReference(input: string, image: Image): string | undefined {
  try {
    const name = formatReference(withDefaultTag(parseReference(input)));
    return image.names.includes(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
