// Assembles berth-dockerd: the containerd connection, image and container managers, and the
// Engine API routes on a unix socket. Used by the binary and by tests.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createApp } from './api/app';
import { handleUpgrades } from './api/hijack';
import { listenApi } from './api/listen';
import { containerExportRoutes } from './api/routes/container-export';
import { archiveRoutes } from './api/routes/archive';
import { containerPruneRoutes } from './api/routes/container-prune';
import { containerRoutes } from './api/routes/containers';
import { distributionRoutes, pullHandler } from './api/routes/distribution';
import { eventRoutes } from './api/routes/events';
import { statsRoutes } from './api/routes/stats';
import { updateRoutes } from './api/routes/update';
import { execRoutes } from './api/routes/exec';
import { imageArchiveRoutes } from './api/routes/image-archive';
import { imageRoutes } from './api/routes/images';
import { networkRoutes } from './api/routes/networks';
import { infoRoutes } from './api/routes/info';
import { systemRoutes } from './api/routes/system';
import { volumeRoutes } from './api/routes/volumes';
import { DEFAULTS, type DockerdConfig } from './config';
import { containerdComponent } from './containerd/components';
import { connectContainerd } from './containerd/connection';
import { ExecManager } from './containers/exec';
import { cleanScratch } from './containers/container-fs';
import { ContainerManager } from './containers/manager';
import { RecordStore } from './containers/record-store';
import { RuntimeTable } from './containers/runtimes';
import { ContainerMounts, volumeUsers } from './containers/volume-mounts';
import { followOomEvents } from './containers/oom-events';
import { EventBus } from './events/bus';
import { ImageStore } from './images/store';
import { openContainerNetworking } from './network/setup';
import { hostFacts } from './system/platform';
import { VolumeStore } from './volumes/store';

export interface Daemon {
  app: FastifyInstance;
  containers: ContainerManager;
  /** Publish container, image, volume and network events here (GET /events reads it). */
  events: EventBus;
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
  const runtimes = new RuntimeTable(
    config.defaultRuntime ?? DEFAULTS.defaultRuntime,
    config.addRuntimes ?? [],
  );
  const events = new EventBus();
  const volumes = new VolumeStore(
    join(config.dataRoot, 'volumes'),
    (name): string[] => volumeUsers(containers.list(), name).map((c) => c.id),
    events,
  );
  const scratchDir = join(config.execRoot, 'mounts');
  await cleanScratch(scratchDir);
  const networking = await openContainerNetworking(config, { records, events, logger });
  const containers: ContainerManager = new ContainerManager({
    connection,
    images,
    records,
    execRoot: config.execRoot,
    cgroupParent: config.cgroupParent,
    runtimes,
    mounts: new ContainerMounts(volumes, scratchDir, (name) =>
      volumeUsers(containers.list(), name).some((c) => c.running),
    ),
    logger,
    events,
    network: networking,
  });
  // Subscribed before restore: a restored container's OOM kill is reported live too.
  const oomEvents = followOomEvents(connection, (id) => void containers.noteOom(id), logger);
  await containers.restore();
  await networking.reconcile(containers.list());
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
    runtimes,
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
    events,
  });
  const distribution = {
    engineVersion,
    connection,
    images,
    insecureRegistries: config.insecureRegistries ?? DEFAULTS.insecureRegistries,
  };
  distributionRoutes(app, distribution);
  imageArchiveRoutes(app, {
    engineVersion,
    connection,
    images,
    usedImageIds: () => new Set(containers.list().map((c) => c.record.Image)),
    pull: pullHandler(distribution),
    events,
  });
  containerExportRoutes(app, { engineVersion, connection, containers, scratchDir });
  containerRoutes(app, { engineVersion, containers, execs, records });
  execRoutes(app, { execs, containers });
  volumeRoutes(app, { volumes, events });
  archiveRoutes(app, { containers, connection, scratchDir });
  containerPruneRoutes(app, { containers, connection, events });
  eventRoutes(app, { engineVersion, events });
  statsRoutes(app, { engineVersion, connection, containers });
  updateRoutes(app, { connection, containers, records });
  networkRoutes(app, { containers, networking });
  const endHijacked = handleUpgrades(app.server, { engineVersion, containers, execs });
  await listenApi(app, config.host, config.group);
  return {
    app,
    containers,
    events,
    async close() {
      // Namespaces, endpoints and leases stay for the next daemon, as after a crash.
      await networking.close();
      oomEvents.stop();
      endHijacked();
      await app.close();
      connection.close();
    },
  };
}
