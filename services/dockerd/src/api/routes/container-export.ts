// GET /containers/{id}/export: `docker export`, the container's filesystem as a tar stream.
import type { FastifyInstance } from 'fastify';
import type { ContainerdConnection } from '../../containerd/connection';
import { exportRootfs } from '../../containers/export';
import type { ContainerManager } from '../../containers/manager';
import type { Mount } from '../../containers/rootfs-files';
import { SNAPSHOTTER } from '../../images/unpack';
import { openStream, pipeToReply } from '../stream-reply';

export interface ContainerExportDeps {
  engineVersion: string;
  connection: ContainerdConnection;
  containers: ContainerManager;
  /** Where the container's filesystem is mounted for the request. */
  scratchDir: string;
}

export function containerExportRoutes(app: FastifyInstance, deps: ContainerExportDeps) {
  app.get<{ Params: { id: string } }>('/containers/:id/export', async (req, reply) => {
    const container = deps.containers.get(req.params.id);
    // the container's snapshot is keyed by its ID
    const { mounts } = await deps.connection.call<{ mounts: Mount[] }>('snapshots', 'Mounts', {
      snapshotter: SNAPSHOTTER,
      key: container.id,
    });
    await exportRootfs(mounts, deps.scratchDir, (tar) =>
      pipeToReply(tar, openStream(reply, deps.engineVersion, 'application/x-tar')),
    );
    deps.containers.emit(container, 'export');
  });
}
