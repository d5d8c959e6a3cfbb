// berth-dockerd: the Docker Engine API over containerd's gRPC API.
import { logDestination, notifyReady, notifyStopping } from '@berth/systemd';
import { createLogger, startTelemetry } from '@berth/telemetry';
import { parseConfig } from '../config';
import { startDaemon } from '../daemon';
import { ENGINE_VERSION } from '../version';

async function main() {
  const config = parseConfig(process.argv.slice(2));
  const logger = createLogger('dockerd', { destination: logDestination('berth-dockerd') });
  // Trace contexts are handed down explicitly (the run's, a span's: run-trace.ts, and the
  // connection's tracing()): no AsyncLocalStorage, whose promise hooks slow every request.
  const telemetry = await startTelemetry({
    service: 'dockerd',
    version: ENGINE_VERSION,
    contextPropagation: 'sync',
  });
  const daemon = await startDaemon(config, ENGINE_VERSION, logger);
  logger.info(
    { host: config.host, containerd: config.containerdAddress },
    'berth-dockerd listening',
  );
  notifyReady();
  const stop = () => {
    notifyStopping();
    void daemon
      .close()
      .then(() => telemetry.shutdown())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
