// Capabilities as Docker grants them: 14 by default, every one the kernel knows with
// --privileged, adjusted by --cap-add/--cap-drop (names with or without CAP_, or ALL).
import { readFileSync } from 'node:fs';
import { CAPABILITIES } from '@berth/oci';
import { invalidParameter } from '../api/errors';

export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability the kernel knows, in bit order. */
export const ALL_CAPABILITIES: readonly string[] = CAPABILITIES;

/** The capability bounding set of a process, from its /proc/<pid>/status. */
export function boundingSet(status: string): readonly string[] {
  const mask = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0'}`);
  return ALL_CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/**
 * What --privileged and --cap-add ALL grant: every capability dockerd itself may pass on,
 * as moby does, so that a daemon in a restricted environment can still start them.
 */
export const GRANTABLE_CAPABILITIES = boundingSet(readFileSync('/proc/self/status', 'utf8'));

function normalize(name: string): string {
  const upper = name.toUpperCase();
  if (upper === 'ALL') return upper;
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) throw invalidParameter(`unknown capability: "${name}"`);
  return full;
}

/** moby's TweakCapabilities: ALL added keeps all but the drops; ALL dropped keeps the adds. */
export function containerCapabilities(
  add: readonly string[] | null | undefined,
  drop: readonly string[] | null | undefined,
  privileged: boolean,
): string[] {
  if (privileged) return [...GRANTABLE_CAPABILITIES];
  const adds = (add ?? []).map(normalize);
  const drops = (drop ?? []).map(normalize);
  if (adds.includes('ALL')) return GRANTABLE_CAPABILITIES.filter((c) => !drops.includes(c));
  if (drops.includes('ALL')) return [...new Set(adds)];
  return [...new Set([...DEFAULT_CAPABILITIES.filter((c) => !drops.includes(c)), ...adds])];
}
