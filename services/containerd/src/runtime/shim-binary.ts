import { invalidArgument } from '../core/errdefs';
import { runCaptured } from '@berth/monitor';

export interface ShimLaunch {
  runtime: string;
  namespace: string;
  id: string;
  bundle: string;
  /** The daemon's gRPC socket; the shim forwards events to `<address>.ttrpc`. */
  address: string;
  publishBinary: string;
}

/** io.containerd.runc.v2 → containerd-shim-runc-v2 (upstream shim/util.go BinaryName). */
export function binaryName(runtime: string): string {
  const parts = runtime.split('.');
  if (parts.length < 2 || parts.some((p) => p === ''))
    throw invalidArgument(`invalid runtime name ${runtime}`);
  return `containerd-shim-${parts[parts.length - 2]}-${parts[parts.length - 1]}`;
}

const shimArgs = (l: ShimLaunch, action: string) => [
  '-namespace',
  l.namespace,
  '-address',
  l.address,
  '-publish-binary',
  l.publishBinary,
  '-id',
  l.id,
  action,
];

/**
 * Runs the shim binary once in the bundle, feeding `stdin`; resolves with its stdout. Through
 * posix_spawn: a fork of the daemon would stall every other call for milliseconds.
 */
async function runShim(l: ShimLaunch, action: string, stdin: Uint8Array | undefined) {
  const binary = binaryName(l.runtime);
  const { status, stdout, stderr } = await runCaptured(binary, shimArgs(l, action), {
    cwd: l.bundle,
    env: { ...process.env, TTRPC_ADDRESS: `${l.address}.ttrpc` },
    stdin: stdin ?? new Uint8Array(0),
  });
  if (status === 0) return stdout;
  const output = Buffer.concat([stdout, stderr]).toString().trim();
  throw new Error(`${binary} ${action}: exit ${status}: ${output}`);
}

/** `shim start`: the shim daemonizes and prints the ttrpc address it serves. */
export async function startShim(l: ShimLaunch, options: Uint8Array | undefined): Promise<string> {
  return (await runShim(l, 'start', options)).toString().trim();
}

/** `shim delete`: cleans up after a shim that is gone; prints a task.v2 DeleteResponse. */
export async function deleteShim(l: ShimLaunch): Promise<Buffer> {
  return runShim(l, 'delete', undefined);
}
