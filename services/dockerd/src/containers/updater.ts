// Applies a validated `docker update`: the running task first (so a limit the kernel
// refuses changes nothing), then the spec containerd keeps for the next start, then the
// record inspect shows.
import type { ContainerdConnection } from '../containerd/connection';
import type { Container, ContainerManager } from './manager';
import type { RecordStore } from './record-store';
import { specResources, updateResources } from './resources';
import { mergeUpdate, validateResources, type UpdateConfig } from './update';

const RESOURCES_TYPE = 'types.containerd.io/opencontainers/runtime-spec/1/LinuxResources';

export interface UpdaterDeps {
  connection: ContainerdConnection;
  containers: ContainerManager;
  records: RecordStore;
}

function cannotUpdate(container: Container, err: unknown): Error {
  const status = (err as { statusCode?: number }).statusCode ?? 500;
  const message = (err as { details?: string }).details || (err as Error).message;
  return Object.assign(new Error(`Cannot update container ${container.id}: ${message}`), {
    statusCode: status,
  });
}

export async function updateContainer(
  deps: UpdaterDeps,
  ref: string,
  update: UpdateConfig,
): Promise<{ Warnings: string[] }> {
  validateResources(update, true);
  const container = deps.containers.get(ref);
  let merged;
  try {
    merged = mergeUpdate(container.record.HostConfig, update);
  } catch (err) {
    throw cannotUpdate(container, err);
  }
  const { connection } = deps;
  try {
    if (container.running) {
      await connection.call('tasks', 'Update', {
        container_id: container.id,
        resources: {
          type_url: RESOURCES_TYPE,
          value: Buffer.from(JSON.stringify(updateResources(update))),
        },
      });
    }
    const { container: stored } = await connection.call<{
      container: { spec: { type_url: string; value: Buffer } };
    }>('containers', 'Get', { id: container.id });
    const spec = JSON.parse(stored.spec.value.toString('utf8')) as {
      linux?: { resources?: { devices?: unknown } };
    };
    spec.linux ??= {};
    spec.linux.resources = {
      ...specResources(merged),
      devices: spec.linux.resources?.devices ?? [],
    };
    await connection.call('containers', 'Update', {
      container: {
        id: container.id,
        spec: { type_url: stored.spec.type_url, value: Buffer.from(JSON.stringify(spec)) },
      },
      update_mask: { paths: ['spec'] },
    });
  } catch (err) {
    throw cannotUpdate(container, err);
  }
  container.record.HostConfig = merged;
  deps.records.save(container.record);
  deps.containers.emit(container, 'update');
  return { Warnings: [] };
}
