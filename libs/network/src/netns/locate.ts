// Finds native/build/berth-netns from wherever this code runs: the lib's sources, or a bundled
// service under the same checkout. BERTH_NATIVE_DIR overrides.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'berth-netns';
let found: string | undefined;

export function netnsHelper(): string {
  if (found) return found;
  const override = process.env.BERTH_NATIVE_DIR;
  const candidates = override ? [join(override, NAME)] : [];
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== '/'; dir = dirname(dir)) {
    candidates.push(join(dir, 'native/build', NAME), join(dir, 'libs/network/native/build', NAME));
  }
  found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`${NAME} not found; build it with make -C libs/network/native`);
  return found;
}
