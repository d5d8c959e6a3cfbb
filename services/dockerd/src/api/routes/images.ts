// /images: load, list, inspect, history, tag, remove.
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import { loadImages } from '../../images/load';
import {
  familiarName,
  formatReference,
  parseReference,
  withDefaultTag,
} from '../../images/reference';
import type { Image, ImageStore } from '../../images/store';
import { imageHistory, imageInspect, imageSummary } from '../../images/views';
import { conflict, invalidParameter } from '../errors';
import { booleanQuery, globMatcher, matchesLabels, parseFilters } from '../filters';
import { openStream } from '../stream-reply';

export interface ImageUser {
  id: string;
  running: boolean;
}

export interface ImageRouteDeps {
  engineVersion: string;
  connection: ContainerdConnection;
  images: ImageStore;
  /** Containers created from the image with this ID. */
  imageUsers(imageId: string): ImageUser[];
}

type Query = Record<string, string | undefined>;
const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

export function imageRoutes(app: FastifyInstance, deps: ImageRouteDeps) {
  const { images } = deps;

  app.post('/images/load', async (req, reply) => {
    const lines: string[] = [];
    await loadImages(deps.connection, images, req.body as Readable, (line) => lines.push(line));
    // The CLI renders progress only for exactly "application/json" (no charset).
    const raw = openStream(reply, deps.engineVersion, 'application/json');
    raw.end(lines.map((line) => `${JSON.stringify({ stream: `${line}\n` })}\n`).join(''));
  });

  app.get('/images/json', async (req) => {
    const query = req.query as Query;
    const filters = parseFilters(query.filters, [
      'dangling',
      'label',
      'reference',
      'before',
      'since',
    ]);
    const all = await images.list();
    const dangling = filters.get('dangling')?.[0];
    const patterns = (filters.get('reference') ?? []).map(globMatcher);
    const selected = all.filter((image) => {
      if (!booleanQuery(query.all) && !dangling && image.names.length === 0) return false;
      if (dangling !== undefined && booleanQuery(dangling) !== (image.names.length === 0))
        return false;
      if (!matchesLabels(filters, image.config.config?.Labels)) return false;
      if (
        patterns.length > 0 &&
        !image.names
          .map(familiarName)
          .some((n) => patterns.some((p) => p.test(n) || p.test(n.split(':')[0]!)))
      )
        return false;
      return true;
    });
    selected.sort(
      (a, b) => Date.parse(b.config.created ?? '') - Date.parse(a.config.created ?? ''),
    );
    return Promise.all(
      selected.map(async (image) => imageSummary(image, await images.size(image), req.apiVersion)),
    );
  });

  app.get('/images/*', async (req) => {
    const path = (req.params as { '*': string })['*'];
    const [, name, action] = /^(.+)\/(json|history)$/.exec(path) ?? [];
    if (!name) throw invalidParameter(`page not found`);
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
    return reply.status(201).send();
  });

  app.delete('/images/*', async (req) => {
    const name = (req.params as { '*': string })['*'];
    const query = req.query as Query;
    return removeImage(deps, name, booleanQuery(query.force));
  });
}

async function removeImage(deps: ImageRouteDeps, input: string, force: boolean) {
  const { images } = deps;
  const image = await images.resolve(input);
  const users = deps.imageUsers(image.id);
  const named = namedReference(input, image);
  const removed: Record<string, string>[] = [];
  if (named && (image.names.length > 1 || force)) {
    await images.removeName(named);
    removed.push({ Untagged: familiarName(named) });
    if (image.names.length > 1 || users.length > 0) return removed;
    await images.removeImage(image);
    return [...removed, { Deleted: image.id }];
  }
  const running = users.find((u) => u.running);
  if (running) {
    throw conflict(
      `conflict: unable to delete ${short(image.id)} (cannot be forced) - image is being used by running container ${short(running.id)}`,
    );
  }
  if (users[0] && !force) {
    if (named)
      throw conflict(
        `conflict: unable to remove repository reference "${input}" (must force) - container ${short(users[0].id)} is using its referenced image ${short(image.id)}`,
      );
    throw conflict(
      `conflict: unable to delete ${short(image.id)} (must be forced) - image is being used by stopped container ${short(users[0].id)}`,
    );
  }
  if (!named && image.names.length > 1 && !force) {
    throw conflict(
      `conflict: unable to delete ${short(image.id)} (must be forced) - image is referenced in multiple repositories`,
    );
  }
  for (const name of image.names) removed.push({ Untagged: familiarName(name) });
  await images.removeImage(image);
  return [...removed, { Deleted: image.id }];
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
