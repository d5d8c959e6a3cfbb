import type { Server } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { loadGrpcJs, loadGrpcPackage } from '@berth/proto';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { containersService } from './api/containers';
import { contentService } from './api/content';
import { diffService } from './api/diff';
import { decodeEvent, eventsService, publisher } from './api/events';
import { imagesService } from './api/images';
import { bindWithWideWindows } from './api/http2-windows';
import { healthService, introspectionService, versionService } from './api/introspection';
import { leasesService } from './api/leases';
import { namespacesService } from './api/namespaces';
import { snapshotsService } from './api/snapshots';
import { tasksService } from './api/tasks';
import { traced } from './api/tracing';
import type { Config } from './config';
import { Core } from './core/containerd';
import { serveEventsForward } from './runtime/events-forward';
import { TaskManager } from './runtime/manager';

export const VERSION = '1.6.20-berth';
// What shims exec to publish when ttrpc forwarding fails: upstream containerd's `publish`.
const PUBLISH_BINARY = '/usr/bin/containerd';
const MAX_MESSAGE = 16 << 20;

export interface RunningServer {
  core: Core;
  server: Server;
  close(): Promise<void>;
}

/** Opens the stores, recovers from any crash, and serves the containerd API on the socket. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const [grpc, pkg] = await Promise.all([loadGrpcJs(), loadGrpcPackage()]);
  mkdirSync(config.state, { recursive: true });
  const core = new Core({ root: config.root, decodeEvent });
  await core.recover();
  const publish = publisher(core.events, (err, topic) =>
    log.warn({ err, topic }, 'error publishing event'),
  );
  const tasks = new TaskManager({
    root: config.root,
    state: config.state,
    address: config.address,
    publishBinary: PUBLISH_BINARY,
    containers: core.containers,
    log,
  });
  mkdirSync(dirname(config.address), { recursive: true });
  const eventsTtrpc = await serveEventsForward(`${config.address}.ttrpc`, core.events);
  await tasks.reconnect();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
  });
  const svc = pkg.containerd.services;
  server.addService(
    svc.version.v1.Version.service,
    traced('version', versionService(VERSION, 'berth')),
  );
  server.addService(
    svc.namespaces.v1.Namespaces.service,
    traced('namespaces', namespacesService(core.namespaces, publish)),
  );
  server.addService(
    svc.introspection.v1.Introspection.service,
    traced('introspection', introspectionService(config.root)),
  );
  server.addService(pkg.grpc.health.v1.Health.service, traced('health', healthService()));
  server.addService(
    svc.content.v1.Content.service,
    traced('content', contentService(core.content)),
  );
  server.addService(
    svc.images.v1.Images.service,
    traced('images', imagesService(core.images, core.gc, publish)),
  );
  server.addService(
    svc.containers.v1.Containers.service,
    traced('containers', containersService(core.containers, publish)),
  );
  server.addService(
    svc.leases.v1.Leases.service,
    traced('leases', leasesService(core.leases, core.gc)),
  );
  server.addService(
    svc.snapshots.v1.Snapshots.service,
    traced('snapshots', snapshotsService(core.snapshots, publish)),
  );
  server.addService(svc.diff.v1.Diff.service, traced('diff', diffService(core.diff)));
  server.addService(svc.events.v1.Events.service, traced('events', eventsService(core.events)));
  server.addService(
    svc.tasks.v1.Tasks.service,
    traced(
      'tasks',
      tasksService({ tasks, containers: core.containers, snapshots: core.snapshots, publish }),
    ),
  );
  rmSync(config.address, { force: true });
  await bindWithWideWindows(
    server,
    `unix://${config.address}`,
    grpc.ServerCredentials.createInsecure(),
  );
  return {
    core,
    server,
    close: async () => {
      // As upstream's Stop() on SIGTERM: calls that never end by themselves (a client's
      // Tasks.Wait, an Events subscription) are cut now instead of holding the stop until
      // systemd's timeout kills the daemon.
      server.forceShutdown();
      // Shims keep running across daemon restarts, as upstream's do; only connections close.
      await tasks.close();
      await eventsTtrpc.close();
      core.close();
    },
  };
}
