// Finds the native helpers (native/build/<name>) from wherever this code runs: the lib's
// sources, or a bundled service under the same checkout. BERTH_NATIVE_DIR overrides.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const found = new Map<string, string>();

export function nativeBinary(name: 'berth-launch' | 'berth-seccomp'): string {
  const cached = found.get(name);
  if (cached) return cached;
  const override = process.env.BERTH_NATIVE_DIR;
  const candidates = override ? [join(override, name)] : [];
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== '/'; dir = dirname(dir)) {
    candidates.push(join(dir, 'native/build', name), join(dir, 'libs/oci/native/build', name));
  }
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`${name} not found; build it with make -C libs/oci/native`);
  found.set(name, path);
  return path;
}
