// /images: load, list, inspect, history, tag, remove.
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import type { EventBus } from '../../events/bus';
import { imageActor } from '../../events/actors';
import { recordFilter, LIST_FILTERS, selectImages } from '../../images/image-filters';
import { loadImages } from '../../images/load';
import {
  familiarName,
  formatReference,
  parseReference,
  withDefaultTag,
} from '../../images/reference';
import { deleteImage, type ImageUser } from '../../images/remove';
import type { Image, ImageStore } from '../../images/store';
import { imageHistory, imageInspect, imageSummary } from '../../images/views';
import { invalidParameter } from '../errors';
import { booleanQuery, parseFilters } from '../filters';
import { openStream } from '../stream-reply';
import { saveImages } from './image-archive';

export interface ImageRouteDeps {
  engineVersion: string;
  connection: ContainerdConnection;
  images: ImageStore;
  /** Containers created from the image with this ID. */
  imageUsers(imageId: string): ImageUser[];
  events: EventBus;
}

type Query = Record<string, string | undefined>;

export function imageRoutes(app: FastifyInstance, deps: ImageRouteDeps) {
  const { images } = deps;
  const publish = (action: string, id: string, name: string, image?: Image) =>
    deps.events.publish({
      Type: 'image',
      Action: action,
      Actor: imageActor(id, name, image?.config.config?.Labels),
    });

  app.post('/images/load', async (req, reply) => {
    const lines: string[] = [];
    await loadImages(
      deps.connection,
      images,
      req.body as Readable,
      (line) => lines.push(line),
      (id) => publish('load', id, id),
    );
    // The CLI renders progress only for exactly "application/json" (no charset).
    const raw = openStream(reply, deps.engineVersion, 'application/json');
    raw.end(lines.map((line) => `${JSON.stringify({ stream: `${line}\n` })}\n`).join(''));
  });

  app.get('/images/json', async (req) => {
    const query = req.query as Query;
    const filter = await recordFilter(parseFilters(query.filters, LIST_FILTERS), (ref) =>
      images.resolve(ref),
    );
    const selected = selectImages(await images.list(), filter);
    selected.sort(
      (a, b) => Date.parse(b.config.created ?? '') - Date.parse(a.config.created ?? ''),
    );
    return Promise.all(
      selected.map(async (image) => imageSummary(image, await images.size(image), req.apiVersion)),
    );
  });

  app.get('/images/*', async (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const [, name, action] = /^(.+)\/(json|history|get)$/.exec(path) ?? [];
    if (!name) throw invalidParameter(`page not found`);
    if (action === 'get') return saveImages(deps, [name], reply);
    const image = await images.resolve(name);
    if (action === 'history') return imageHistory(image, await images.layerSizes(image));
    return imageInspect(image, await images.size(image), req.apiVersion);
  });

  app.post('/images/*', async (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const name = /^(.+)\/tag$/.exec(path)?.[1];
    if (!name) return reply.status(404).send({ message: 'page not found' });
    const query = req.query as Query;
    if (!query.repo) throw invalidParameter('repository name must have at least one component');
    const image = await images.resolve(name);
    const target = withDefaultTag(
      parseReference(query.tag ? `${query.repo}:${query.tag}` : query.repo),
    );
    if (target.digest) throw invalidParameter('refusing to create a tag with a digest reference');
    await images.setName(formatReference(target), image.target);
    publish('tag', image.id, familiarName(formatReference(target)), image);
    return reply.status(201).send();
  });

  app.delete('/images/*', async (req) => {
    const name = (req.params as { '*': string })['*'];
    const query = req.query as Query;
    const image = await images.resolve(name);
    const removed = await deleteImage(images, deps.imageUsers, name, booleanQuery(query.force));
    for (const entry of removed)
      publish(entry.Untagged ? 'untag' : 'delete', image.id, image.id, image);
    return removed;
  });
}
