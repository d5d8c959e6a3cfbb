// The launcher re-executes itself from a sealed, anonymous copy of its binary (CVE-2019-5736:
// a container process must never reach the binary on disk through /proc/<pid>/exe), unless it
// already runs from one. A long-lived caller (the shim) makes that copy once and has every
// launch start from it, which saves the copy on each container start.
import { readFileSync } from 'node:fs';
import { nativeBinary } from '../native/locate';

let path: string | undefined;

/** The sealed copy of berth-launch, as a path other processes (a monitor) can execute while
 * this process lives: /proc/<pid>/fd/<memfd>. */
export async function sealedLauncher(): Promise<string> {
  if (path) return path;
  const { sealedMemfd } = await import('../sys/libc');
  const fd = sealedMemfd('berth-launch', readFileSync(nativeBinary('berth-launch')));
  path = `/proc/${process.pid}/fd/${fd}`;
  return path;
}
