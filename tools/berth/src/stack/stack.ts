// `berth up`, `berth down` and `berth status` over the service table.
import { probe } from './probe';
import { describeEndpoint, STACK, type ServiceSpec } from './services';
import { findOnPath, runningPid, sleep, startDetached, stop, type StackDirs } from './supervise';

export type ServiceState = 'ready' | 'starting' | 'stopped' | 'not installed';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  pid?: number;
  endpoint: string;
  executable?: string;
}

export async function status(dirs: StackDirs, stack = STACK): Promise<ServiceStatus[]> {
  return Promise.all(
    stack.map(async (spec) => {
      const executable = findOnPath(spec.binary);
      const pid = runningPid(dirs, spec);
      const endpoint = describeEndpoint(spec.probe);
      const answers = await probe(spec.probe);
      // A service started by someone else (systemd, by hand) still counts when it answers.
      const state: ServiceState = answers
        ? 'ready'
        : pid !== undefined
          ? 'starting'
          : executable
            ? 'stopped'
            : 'not installed';
      return { name: spec.name, state, pid, endpoint, executable };
    }),
  );
}

export interface UpResult {
  started: string[];
  alreadyRunning: string[];
  notInstalled: string[];
}

/** Starts every installed service that is not answering yet, in order, each ready before the next. */
export async function up(dirs: StackDirs, timeoutMs: number, stack = STACK): Promise<UpResult> {
  const result: UpResult = { started: [], alreadyRunning: [], notInstalled: [] };
  for (const spec of stack) {
    if (await probe(spec.probe)) {
      result.alreadyRunning.push(spec.name);
      continue;
    }
    const executable = findOnPath(spec.binary);
    if (!executable) {
      result.notInstalled.push(spec.name);
      continue;
    }
    const pid = runningPid(dirs, spec) ?? startDetached(dirs, spec, executable);
    await waitReady(spec, pid, timeoutMs, dirs);
    result.started.push(spec.name);
  }
  return result;
}

async function waitReady(spec: ServiceSpec, pid: number, timeoutMs: number, dirs: StackDirs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe(spec.probe)) return;
    if (runningPid(dirs, spec) === undefined) {
      throw new Error(
        `${spec.name} (pid ${pid}) exited before it answered; see ${dirs.logDir}/${spec.name}.log`,
      );
    }
    await sleep(50);
  }
  throw new Error(
    `${spec.name} did not answer on ${describeEndpoint(spec.probe)} within ${timeoutMs} ms`,
  );
}

/** Stops the services this tool started, in reverse order. */
export async function down(dirs: StackDirs, stack = STACK): Promise<string[]> {
  const stopped: string[] = [];
  for (const spec of [...stack].reverse()) {
    if (await stop(dirs, spec)) stopped.push(spec.name);
  }
  return stopped;
}
