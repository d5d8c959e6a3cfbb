// /containers/{id}/archive: docker cp. HEAD stats a path, GET packs it, PUT extracts a tar
// into a directory, for running containers (their own mount namespace) and stopped ones
// (snapshot and volumes mounted privately for the request).
import { readFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import {
  encodePathStat,
  fileNotFound,
  lstatOrNotFound,
  resolveContainerPath,
  statContainerPath,
} from '../../containers/archive';
import { extractInto, packPath } from '../../containers/archive-tar';
import { openContainerRoot, type MountedFs } from '../../containers/container-fs';
import { TaskFreezer } from '../../containers/freezer';
import type { Container, ContainerManager } from '../../containers/manager';
import type { MountPoint } from '../../containers/mounts';
import { resolveInRoot } from '../../containers/resolve-in-root';
import type { Mount } from '../../containers/rootfs-files';
import { resolveUser } from '../../containers/user';
import { SNAPSHOTTER } from '../../images/unpack';
import { invalidParameter } from '../errors';
import { booleanQuery } from '../filters';

type Query = Record<string, string | undefined>;
type Params = { id: string };
const STAT_HEADER = 'X-Docker-Container-Path-Stat';

export interface ArchiveRouteDeps {
  containers: ContainerManager;
  connection: ContainerdConnection;
  /** Where stopped containers' filesystems are mounted for a request. */
  scratchDir: string;
}

/** The mount point a container path lies on (the deepest one containing it). */
function mountPointOf(points: readonly MountPoint[], path: string): MountPoint | undefined {
  return points
    .filter((p) => path === p.Destination || path.startsWith(`${p.Destination}/`))
    .sort((a, b) => b.Destination.length - a.Destination.length)[0];
}

export function archiveRoutes(app: FastifyInstance, deps: ArchiveRouteDeps) {
  // The CLI uploads its tar as text/plain: in this scope every body stays a raw stream.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    registerRoutes(scope, deps);
  });
}

function registerRoutes(app: FastifyInstance, deps: ArchiveRouteDeps) {
  const freezer = new TaskFreezer(deps.connection);
  const open = async (container: Container): Promise<MountedFs> => {
    const fs = await openContainerRoot(
      {
        running: container.running,
        pid: container.record.State.Pid,
        points: container.record.MountPoints ?? [],
      },
      async () =>
        (
          await deps.connection.call<{ mounts: Mount[] }>('snapshots', 'Mounts', {
            snapshotter: SNAPSHOTTER,
            key: container.id,
          })
        ).mounts,
      deps.scratchDir,
    );
    // a paused container is frozen already; a stopped one has no process to race with
    if (container.record.State.Status !== 'running') return fs;
    const thaw = await freezer.hold(container.id);
    return {
      root: fs.root,
      release: async () => {
        await thaw();
        await fs.release();
      },
    };
  };
  const pathOf = (query: Query) => {
    if (!query.path) throw invalidParameter('path is required');
    return query.path;
  };

  app.head<{ Params: Params }>('/containers/:id/archive', async (req, reply) => {
    const container = deps.containers.get(req.params.id);
    const path = pathOf(req.query as Query);
    const fs = await open(container);
    try {
      const stat = statContainerPath(fs.root, path, req.params.id);
      return reply.header(STAT_HEADER, encodePathStat(stat)).status(200).send();
    } finally {
      await fs.release();
    }
  });

  app.get<{ Params: Params }>(
    '/containers/:id/archive',
    { exposeHeadRoute: false },
    async (req, reply) => {
      const container = deps.containers.get(req.params.id);
      const path = pathOf(req.query as Query);
      const fs = await open(container);
      try {
        const stat = statContainerPath(fs.root, path, req.params.id);
        const { hostPath } = resolveContainerPath(fs.root, path);
        const tar = packPath(hostPath, stat.name === '/' ? '.' : stat.name);
        // The filesystem stays mounted until the tar has been read (or the client left).
        void finished(tar)
          .catch(() => undefined)
          .finally(() => fs.release());
        return reply.header(STAT_HEADER, encodePathStat(stat)).type('application/x-tar').send(tar);
      } catch (err) {
        await fs.release();
        throw err;
      }
    },
  );

  app.put<{ Params: Params }>('/containers/:id/archive', async (req, reply) => {
    const container = deps.containers.get(req.params.id);
    const query = req.query as Query;
    const path = pathOf(query);
    const { record } = container;
    const fs = await open(container);
    try {
      const { absPath } = resolveContainerPath(fs.root, path);
      const dest = resolveInRoot(fs.root, absPath);
      if (!lstatOrNotFound(dest, path, req.params.id).isDirectory())
        throw invalidParameter('extraction point is not a directory');
      const destPath = containerPathOf(fs.root, dest);
      const mount = mountPointOf(record.MountPoints ?? [], destPath);
      if (mount && !mount.RW) throw invalidParameter('mounted volume is marked read-only');
      if (!mount && record.HostConfig.ReadonlyRootfs)
        throw invalidParameter('container rootfs is marked read-only');
      const user = record.Config.User;
      const chown =
        booleanQuery(query.copyUIDGID) && user
          ? resolveUser(user, (p) => readInRoot(fs.root, p))
          : undefined;
      // without a Content-Type no parser ran: the request itself is the stream
      const body = (req.body as Readable | undefined) ?? req.raw;
      await extractInto(body, fs.root, destPath, {
        noOverwriteDirNonDir: booleanQuery(query.noOverwriteDirNonDir),
        chown,
      });
      return reply.status(200).send();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw fileNotFound(path, req.params.id);
      throw err;
    } finally {
      await fs.release();
    }
  });
}

/** The container path of a host path inside the root. */
const containerPathOf = (root: string, hostPath: string) => `/${hostPath.slice(root.length + 1)}`;

function readInRoot(root: string, path: string): string | undefined {
  try {
    return readFileSync(resolveInRoot(root, path), 'utf8');
  } catch {
    return undefined;
  }
}
