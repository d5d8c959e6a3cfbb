// Images in and out as tarballs, and their cleanup: GET /images/get (docker save),
// POST /images/create?fromSrc= (docker import), POST /images/prune. GET /images/{name}/get is
// reached through the /images/* route of ./images, which calls saveImages.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import { imageActor } from '../../events/actors';
import type { EventBus } from '../../events/bus';
import { PRUNE_FILTERS } from '../../images/image-filters';
import { importImage } from '../../images/import';
import { pruneImages } from '../../images/prune';
import { familiarName } from '../../images/reference';
import { archiveLayout, imageBlobs, selectForSave, writeArchive } from '../../images/save';
import type { ImageStore } from '../../images/store';
import { invalidParameter, notImplemented } from '../errors';
import { parseFilters } from '../filters';
import { openStream, pipeToReply } from '../stream-reply';

export interface ImageArchiveDeps {
  engineVersion: string;
  connection: ContainerdConnection;
  images: ImageStore;
  /** IDs of the images containers were created from (running or not): never pruned. */
  usedImageIds(): Set<string>;
  events: EventBus;
  /** POST /images/create with fromImage (docker pull), when a distribution route serves it. */
  pull?: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

type Query = Record<string, string | string[] | undefined>;

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const single = (value: string | string[] | undefined) => list(value)[0];

/** Streams the docker-archive of the images `names` select into the reply. */
export async function saveImages(
  deps: Pick<ImageArchiveDeps, 'engineVersion' | 'connection' | 'images' | 'events'>,
  names: string[],
  reply: FastifyReply,
) {
  if (names.length === 0) throw invalidParameter('no images given to save');
  const entries = await selectForSave(deps.images, names);
  const blobs = new Map(
    await Promise.all(
      entries.map(
        async (e) => [e.image.id, await imageBlobs(deps.connection, e.image.target)] as const,
      ),
    ),
  );
  const archive = writeArchive(
    deps.connection,
    archiveLayout(entries, (e) => blobs.get(e.image.id) ?? []),
  );
  const raw = openStream(reply, deps.engineVersion, 'application/x-tar');
  await pipeToReply(archive, raw);
  for (const { image, names } of entries)
    publishImage(deps.events, 'save', image.id, names[0] ? familiarName(names[0]) : image.id);
}

function publishImage(events: EventBus, action: string, id: string, name: string) {
  events.publish({ Type: 'image', Action: action, Actor: imageActor(id, name) });
}

export function imageArchiveRoutes(app: FastifyInstance, deps: ImageArchiveDeps) {
  app.get('/images/get', async (req, reply) => {
    await saveImages(deps, list((req.query as Query).names), reply);
  });

  app.post('/images/prune', async (req) => {
    const filters = parseFilters(single((req.query as Query).filters), PRUNE_FILTERS);
    const report = await pruneImages(
      deps.connection,
      deps.images,
      filters,
      deps.usedImageIds(),
      (image, names, deleted) => {
        for (const name of names) publishImage(deps.events, 'untag', image.id, familiarName(name));
        if (deleted) publishImage(deps.events, 'delete', image.id, image.id);
      },
    );
    deps.events.publish({
      Type: 'image',
      Action: 'prune',
      Actor: { ID: '', Attributes: { reclaimed: String(report.SpaceReclaimed) } },
    });
    return report;
  });

  // The import body is the tarball itself, whatever Content-Type (if any) the client sets.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post('/images/create', async (req, reply) => {
      const query = req.query as Query;
      if (single(query.fromImage) !== undefined) {
        if (!deps.pull) throw notImplemented('pulling images is not served by this daemon');
        return deps.pull(req, reply);
      }
      const src = single(query.fromSrc) ?? '';
      const body = src === '-' ? (req.body as Readable | undefined) : await download(src);
      const id = await importImage(deps.connection, deps.images, body ?? Readable.from([]), {
        repo: single(query.repo),
        tag: single(query.tag),
        message: single(query.message) || `Imported from ${src}`,
        changes: list(query.changes),
        platform: single(query.platform),
      });
      publishImage(deps.events, 'import', id, id);
      const raw = openStream(reply, deps.engineVersion, 'application/json');
      raw.end(`${JSON.stringify({ status: id })}\r\n`);
    });
  });
}

/** fromSrc=<url>: the tarball from a web server (http:// assumed, as Docker does). */
async function download(src: string): Promise<Readable> {
  if (src === '') throw invalidParameter('fromSrc: an URL or "-" is required');
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(src) ? src : `http://${src}`;
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw Object.assign(new Error(`Get "${url}": ${cause}`), { statusCode: 500 });
  }
  if (!response.ok || !response.body) {
    throw Object.assign(new Error(`Get "${url}": ${response.status} ${response.statusText}`), {
      statusCode: 500,
    });
  }
  return Readable.fromWeb(response.body as WebReadableStream);
}
