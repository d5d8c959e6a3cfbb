import { spawn } from 'node:child_process';
import { invalidArgument } from '../core/errdefs';

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

/** Runs the shim binary once in the bundle, feeding `stdin`; resolves with its stdout. */
function runShim(l: ShimLaunch, action: string, stdin: Uint8Array | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binaryName(l.runtime), shimArgs(l, action), {
      cwd: l.bundle,
      env: { ...process.env, TTRPC_ADDRESS: `${l.address}.ttrpc` },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(
            `${binaryName(l.runtime)} ${action}: exit ${code}: ${Buffer.concat([...out, ...err])
              .toString()
              .trim()}`,
          ),
        );
    });
    child.stdin.end(stdin ?? Buffer.alloc(0));
  });
}

/** `shim start`: the shim daemonizes and prints the ttrpc address it serves. */
export async function startShim(l: ShimLaunch, options: Uint8Array | undefined): Promise<string> {
  return (await runShim(l, 'start', options)).toString().trim();
}

/** `shim delete`: cleans up after a shim that is gone; prints a task.v2 DeleteResponse. */
export async function deleteShim(l: ShimLaunch): Promise<Buffer> {
  return runShim(l, 'delete', undefined);
}
