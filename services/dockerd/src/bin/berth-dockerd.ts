// berth-dockerd: the Docker Engine API over containerd's gRPC API.
import { logDestination, notifyReady, notifyStopping } from '@berth/systemd';
import { createLogger, startTelemetry } from '@berth/telemetry';
import { parseConfig } from '../config';
import { startDaemon } from '../daemon';
import { ENGINE_VERSION } from '../version';

async function main() {
  const config = parseConfig(process.argv.slice(2));
  const logger = createLogger('dockerd', { destination: logDestination('berth-dockerd') });
  const telemetry = await startTelemetry({ service: 'dockerd', version: ENGINE_VERSION });
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
