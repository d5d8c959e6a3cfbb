// Capabilities as Docker grants them: 14 by default, every one the kernel knows with
// --privileged, adjusted by --cap-add/--cap-drop (names with or without CAP_, or ALL).
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

/** Every capability the kernel knows, in bit order: what --privileged grants. */
export const ALL_CAPABILITIES: readonly string[] = CAPABILITIES;

function normalize(name: string): string {
  const upper = name.toUpperCase();
  if (upper === 'ALL') return upper;
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) throw invalidParameter(`unknown capability: "${name}"`);
  return full;
}

export function containerCapabilities(
  add: readonly string[] | null | undefined,
  drop: readonly string[] | null | undefined,
  privileged: boolean,
): string[] {
  if (privileged) return [...ALL_CAPABILITIES];
  const adds = (add ?? []).map(normalize);
  const drops = (drop ?? []).map(normalize);
  const base = drops.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drops.includes(c));
  const extra = adds.includes('ALL') ? ALL_CAPABILITIES : adds;
  return [
    ...new Set([...base, ...extra.filter((c) => !drops.includes(c) || adds.includes('ALL'))]),
  ];
}
