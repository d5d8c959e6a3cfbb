import type { containerd, grpc } from '@berth/proto';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFilters } from '../core/filters';
import { unary } from './grpc';

/** The plugins this daemon provides, by upstream's type and id. */
const PLUGINS: [type: string, id: string, requires: string[]][] = [
  ['io.containerd.content.v1', 'content', []],
  ['io.containerd.snapshotter.v1', 'overlayfs', []],
  [
    'io.containerd.metadata.v1',
    'sqlite',
    ['io.containerd.content.v1', 'io.containerd.snapshotter.v1'],
  ],
  ['io.containerd.gc.v1', 'scheduler', ['io.containerd.metadata.v1']],
  ['io.containerd.differ.v1', 'walking', ['io.containerd.metadata.v1']],
  ['io.containerd.event.v1', 'exchange', []],
  ['io.containerd.lease.v1', 'manager', ['io.containerd.metadata.v1']],
  ['io.containerd.grpc.v1', 'containers', ['io.containerd.metadata.v1']],
  ['io.containerd.grpc.v1', 'content', ['io.containerd.metadata.v1']],
  ['io.containerd.grpc.v1', 'diff', ['io.containerd.differ.v1']],
  ['io.containerd.grpc.v1', 'events', ['io.containerd.event.v1']],
  ['io.containerd.grpc.v1', 'healthcheck', []],
  ['io.containerd.grpc.v1', 'images', ['io.containerd.metadata.v1']],
  ['io.containerd.grpc.v1', 'introspection', []],
  ['io.containerd.grpc.v1', 'leases', ['io.containerd.lease.v1']],
  ['io.containerd.grpc.v1', 'namespaces', ['io.containerd.metadata.v1']],
  ['io.containerd.grpc.v1', 'snapshots', ['io.containerd.snapshotter.v1']],
  ['io.containerd.grpc.v1', 'version', []],
];

const PLATFORM = {
  os: 'linux',
  architecture: process.arch === 'x64' ? 'amd64' : process.arch,
  variant: '',
};

/** The server's UUID persists under its root, as upstream's does. */
function serverUuid(root: string): string {
  const file = join(root, 'io.containerd.grpc.v1.introspection', 'uuid');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(join(file, '..'), { recursive: true });
  const uuid = randomUUID();
  writeFileSync(file, uuid);
  return uuid;
}

export function introspectionService(
  root: string,
): containerd.services.introspection.v1.IntrospectionHandlers {
  const uuid = serverUuid(root);
  return {
    Plugins: unary((req) => {
      const filter = parseFilters(req.filters);
      const plugins = PLUGINS.filter(([type, id]) =>
        filter(([f]) => (f === 'type' ? type : f === 'id' ? id : undefined)),
      );
      return {
        plugins: plugins.map(([type, id, requires]) => ({
          type,
          id,
          requires,
          platforms: type === 'io.containerd.snapshotter.v1' ? [PLATFORM] : [],
          exports: (type === 'io.containerd.snapshotter.v1'
            ? { root: join(root, `${type}.${id}`) }
            : {}) as Record<string, string>,
          capabilities: [] as string[],
        })),
      };
    }),
    Server: unary(() => ({ uuid })),
  };
}

export function healthService(): grpc.health.v1.HealthHandlers {
  return {
    Check: unary(() => ({ status: 'SERVING' as const })),
    Watch: (call) => {
      call.write({ status: 'SERVING' });
    },
  };
}

export function versionService(
  version: string,
  revision: string,
): containerd.services.version.v1.VersionHandlers {
  return { Version: unary(() => ({ version, revision })) };
}
