import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let packaged: string | undefined;

/**
 * Where berth-monitor is: $BERTH_MONITOR, else this package's native build. The package is
 * found through module resolution rather than this file's URL, so the answer stays right
 * when a service bundles this code into its own dist/. Resolved once: a shim asks per process.
 */
export function monitorBinary(): string {
  if (process.env.BERTH_MONITOR) return process.env.BERTH_MONITOR;
  packaged ??= join(
    dirname(createRequire(import.meta.url).resolve('@berth/monitor/package.json')),
    'native',
    'build',
    'berth-monitor',
  );
  return packaged;
}
