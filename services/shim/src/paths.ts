// Where a shim group keeps its socket and state. Everything is derived from containerd's
// address, the namespace and the group, so `start`, `delete` and a restarted server all find
// the same places without asking anyone.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** containerd's own shim socket directory, as upstream shims use. */
const SOCKET_DIR = '/run/containerd/s';
/** berth's shim state directory (per the design: /run/berth/<service>). */
export const STATE_DIR = process.env.BERTH_SHIM_STATE ?? '/run/berth/shim';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface GroupKey {
  /** containerd's gRPC address. */
  address: string;
  namespace: string;
  group: string;
}

/**
 * Names the group: sha256 of "ADDRESS\0NAMESPACE\0GROUP" (unambiguous: only the last part can
 * hold a NUL). native/front.c derives the same name for `start`.
 */
function groupHash(key: GroupKey): string {
  return sha256(`${key.address}\0${key.namespace}\0${key.group}`);
}

/** The ttrpc address of the group's server, e.g. unix:///run/containerd/s/<sha256>. */
export function groupAddress(key: GroupKey): string {
  return `unix://${join(SOCKET_DIR, groupHash(key))}`;
}

/** The group server's own directory: its log and the registry of its containers. */
export function groupStateDir(key: GroupKey): string {
  return join(STATE_DIR, groupHash(key).slice(0, 24));
}

/** A short, path-safe name for a process (unix socket paths are limited to 107 bytes). */
export function processFileName(containerId: string, execId: string): string {
  return sha256(`${containerId}\0${execId}`).slice(0, 20);
}

/**
 * A runtime's state root in a namespace (its --root): runc's where upstream's shim keeps it;
 * berth's in-process runtime (no binary) its own, in berth-runc's format, so that
 * `berth-runc --root /run/containerd/berth/<ns> list` shows its containers.
 */
export function runtimeRoot(namespace: string, binary?: string, root?: string): string {
  return `${root || (binary ? '/run/containerd/runc' : '/run/containerd/berth')}/${namespace}`;
}
