import { createLogger, startTelemetry } from '@berth/telemetry';
import { loadConfig } from '../config';
import { startServer } from '../server';

const config = loadConfig(process.argv.slice(2));
const log = createLogger('containerd', { level: config.logLevel });
const telemetry = await startTelemetry({ service: 'containerd', stateDir: config.state });
const running = await startServer(config, log);
log.info(
  { address: config.address, root: config.root, state: config.state },
  'containerd successfully booted',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'stopping');
    void running
      .close()
      .then(() => telemetry.shutdown())
      .then(() => process.exit(0));
  });
}
