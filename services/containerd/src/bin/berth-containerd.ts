import {
  enterDelegatedLeaf,
  logDestination,
  notifyReady,
  notifyStopping,
  underSystemd,
} from '@berth/systemd';
import { createLogger, startTelemetry } from '@berth/telemetry';
import { loadConfig } from '../config';
import { startServer } from '../server';

const config = loadConfig(process.argv.slice(2));
// Under systemd (Delegate=yes) the daemon leaves its unit's cgroup for a leaf, so container
// cgroups can be created beside it (cgroup v2 allows no processes in inner nodes).
if (underSystemd()) enterDelegatedLeaf();
const log = createLogger('containerd', {
  level: config.logLevel,
  destination: logDestination('berth-containerd'),
});
// Trace contexts are handed down explicitly (OpContext.trace): no AsyncLocalStorage, whose
// promise hooks would slow every call.
const telemetry = await startTelemetry({ service: 'containerd', contextPropagation: 'sync' });
const running = await startServer(config, log);
log.info(
  { address: config.address, root: config.root, state: config.state },
  'containerd successfully booted',
);
notifyReady();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    notifyStopping();
    log.info({ signal }, 'stopping');
    void running
      .close()
      .then(() => telemetry.shutdown())
      .then(() => process.exit(0));
  });
}
