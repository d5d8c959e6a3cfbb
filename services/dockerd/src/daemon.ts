// Assembles berth-dockerd: the containerd connection, image and container managers, and the
// Engine API routes on a unix socket. Used by the binary and by tests.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createApp } from './api/app';
import { handleUpgrades } from './api/hijack';
import { listenApi } from './api/listen';
import { containerRoutes } from './api/routes/containers';
import { execRoutes } from './api/routes/exec';
import { imageRoutes } from './api/routes/images';
import { infoRoutes } from './api/routes/info';
import { systemRoutes } from './api/routes/system';
import type { DockerdConfig } from './config';
import { containerdComponent } from './containerd/components';
import { connectContainerd } from './containerd/connection';
import { ExecManager } from './containers/exec';
import { ContainerManager } from './containers/manager';
import { RecordStore } from './containers/record-store';
import { ImageStore } from './images/store';
import { hostFacts } from './system/platform';

export interface Daemon {
  app: FastifyInstance;
  containers: ContainerManager;
  close(): Promise<void>;
}

export async function startDaemon(
  config: DockerdConfig,
  engineVersion: string,
  logger: Logger,
): Promise<Daemon> {
  const connection = await connectContainerd(config.containerdAddress);
  const images = new ImageStore(connection);
  const records = new RecordStore(join(config.dataRoot, 'containers'));
  const containers = new ContainerManager({
    connection,
    images,
    records,
    execRoot: config.execRoot,
    cgroupParent: config.cgroupParent,
    logger,
  });
  await containers.restore();
  const execs = new ExecManager(connection, containers, config.execRoot);
  const host = hostFacts();
  const app = createApp({ engineVersion });
  systemRoutes(app, {
    engineVersion,
    host,
    componentVersions: () => containerdComponent(connection),
  });
  infoRoutes(app, {
    engineVersion,
    host,
    dataRoot: config.dataRoot,
    containers,
    images,
    containerdVersion: () =>
      connection
        .version()
        .then((v) => v.revision)
        .catch(() => ''),
  });
  imageRoutes(app, {
    engineVersion,
    connection,
    images,
    imageUsers: (id) =>
      containers
        .list()
        .filter((c) => c.record.Image === id)
        .map((c) => ({ id: c.id, running: c.running })),
  });
  containerRoutes(app, { engineVersion, containers, execs, records });
  execRoutes(app, { execs, containers });
  const endHijacked = handleUpgrades(app.server, { engineVersion, containers, execs });
  await listenApi(app, config.host, config.group);
  return {
    app,
    containers,
    async close() {
      endHijacked();
      await app.close();
      connection.close();
    },
  };
}
