// The actors of container and image events, with the attributes Docker gives them: a
// container's labels, image (as the user named it) and name without "/"; an image's name.
import type { ContainerRecord } from '../containers/record';
import type { EventActor } from './bus';

export function containerActor(
  record: ContainerRecord,
  extra: Record<string, string> = {},
): EventActor {
  const attributes: Record<string, string> = { ...(record.Config.Labels ?? {}), ...extra };
  if (record.Config.Image) attributes.image = record.Config.Image;
  attributes.name = record.Name.replace(/^\/+/, '');
  return { ID: record.Id, Attributes: attributes };
}

/** An image event's actor: the image's labels and the name the action was about. */
export function imageActor(
  id: string,
  name: string,
  labels?: Record<string, string> | null,
): EventActor {
  return { ID: id, Attributes: { ...(labels ?? {}), name } };
}
