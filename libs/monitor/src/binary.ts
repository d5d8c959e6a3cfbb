import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where berth-monitor is: $BERTH_MONITOR, else this package's native build. The package is
 * found through module resolution rather than this file's URL, so the answer stays right
 * when a service bundles this code into its own dist/.
 */
export function monitorBinary(): string {
  if (process.env.BERTH_MONITOR) return process.env.BERTH_MONITOR;
  const pkg = createRequire(import.meta.url).resolve('@berth/monitor/package.json');
  return join(dirname(pkg), 'native', 'build', 'berth-monitor');
}
