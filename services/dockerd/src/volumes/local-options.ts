// The local driver's options (docker volume create -o type=tmpfs -o device=tmpfs -o o=size=1m):
// validated as Docker's local driver validates them, and mounted on the volume's _data.
import { readFileSync } from 'node:fs';
import { invalidParameter } from '../api/errors';
import { isMountPoint, mountWithOptions } from '../system/mount';

const VALID = new Set(['type', 'device', 'o']);
/** An option that needs others: a mount needs both what and how. */
const REQUIRES: Record<string, string[]> = {
  type: ['device'],
  device: ['type'],
  o: ['device', 'type'],
};

export function validateLocalOptions(options: Record<string, string> | null | undefined): void {
  const keys = Object.keys(options ?? {});
  for (const key of keys) {
    if (key === 'size') throw invalidParameter('quota size requested but no quota support');
    if (!VALID.has(key)) throw invalidParameter(`invalid option: "${key}"`);
  }
  for (const key of keys) {
    for (const required of REQUIRES[key] ?? []) {
      if (!keys.includes(required))
        throw invalidParameter(`missing required option: "${required}"`);
    }
  }
}

/** Whether the volume is mounted from its options rather than a plain directory. */
export const hasMountOptions = (options: Record<string, string> | null | undefined) =>
  !!options?.type;

export async function mountLocal(options: Record<string, string>, target: string): Promise<void> {
  if (isMountPoint(target, readFileSync('/proc/self/mountinfo', 'utf8'))) return;
  const flags = (options.o ?? '').split(',').filter(Boolean);
  await mountWithOptions(options.device ?? '', target, options.type ?? '', flags);
}
