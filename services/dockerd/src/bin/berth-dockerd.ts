// berth-dockerd: the Docker Engine API over containerd's gRPC API.
import { createApp } from '../api/app';
import { listenUnix } from '../api/listen';
import { systemRoutes } from '../api/routes/system';
import { parseConfig, unixSocketPath } from '../config';
import { hostFacts } from '../system/platform';
import { ENGINE_VERSION } from '../version';

async function main() {
  const config = parseConfig(process.argv.slice(2));
  const app = createApp({ engineVersion: ENGINE_VERSION });
  systemRoutes(app, {
    engineVersion: ENGINE_VERSION,
    host: hostFacts(),
    componentVersions: async () => [],
  });
  await listenUnix(app, unixSocketPath(config.host), config.group);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
