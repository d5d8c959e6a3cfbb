// `containerd-shim-berth-v1 -id X -bundle B delete`: containerd runs it whenever its
// connection to the shim closes, after every task. Three cases:
// - the task was deleted through the Task API: print the DeleteResponse recorded then (the
//   native front, native/front.c, does this itself; Node runs only for the other cases);
// - the container's monitor still runs, so only the group server died: start the server
//   again and refuse, so containerd keeps the bundle and finds the container on reconnect;
// - anything else: clean up as upstream does (runtime delete --force, unmount the rootfs).
//   Without a state file the runtime is unknown: both runc's and berth's are asked.
import { rm } from 'node:fs/promises';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { join } from 'node:path';
import { readExitFile } from '@berth/monitor';
import { unmountAll } from '@berth/oci/mount';
import { encodeDeleteResponse, recordedDeleteResponse, type DeleteResult } from './delete-response';
import type { ShimFlags } from './flags';
import { groupOf } from './group';
import { groupAddress, groupStateDir, runtimeRoot, type GroupKey } from './paths';
import { accepts, spawnServer } from './start';
import { loadState, Registry, STATE_FILE, type ContainerState } from './server/state';

const SIGKILL_STATUS = 128 + 9;

export async function deleteBundle(flags: ShimFlags): Promise<void> {
  const bundle = flags.bundle || process.cwd();
  const recorded = await recordedDeleteResponse(bundle);
  if (recorded) return void process.stdout.write(recorded);
  const result = await cleanUp(flags, bundle, await loadState(bundle));
  process.stdout.write(encodeDeleteResponse(result));
}

async function cleanUp(
  flags: ShimFlags,
  bundle: string,
  state: ContainerState | undefined,
): Promise<DeleteResult> {
  const key: GroupKey = {
    address: flags.address,
    namespace: flags.namespace,
    group: await groupOf(bundle, flags.namespace),
  };
  if (state && state.init.status !== 'stopped' && (await accepts(state.init.control))) {
    const address = groupAddress(key);
    if (!(await accepts(address))) await spawnServer(flags, key, address);
    throw new Error(
      `container ${flags.id} still runs under berth-monitor ${state.init.monitorPid}; its shim server is back at ${address}`,
    );
  }
  const { openRuntime } = await import('./server/runtime');
  const logFile = join(bundle, 'log.json');
  const configs = state
    ? [state.runtime]
    : [
        { root: runtimeRoot(flags.namespace), systemdCgroup: false, logFile },
        {
          binary: 'runc',
          root: runtimeRoot(flags.namespace, 'runc'),
          systemdCgroup: false,
          logFile,
        },
      ];
  for (const config of configs) {
    const runtime = await openRuntime(config);
    await runtime.delete(flags.id, true, ROOT_CONTEXT).catch(() => {}); // already gone is fine
  }
  unmountAll(join(bundle, 'rootfs'));
  const exit = state ? await readExitFile(state.init.exitFile) : undefined;
  await new Registry(groupStateDir(key)).remove(flags.id);
  await rm(join(bundle, STATE_FILE), { force: true });
  return {
    pid: state?.init.pid ?? 0,
    exitStatus: exit?.status ?? SIGKILL_STATUS,
    exitedAt: exit?.exitedAt ?? new Date(),
  };
}
