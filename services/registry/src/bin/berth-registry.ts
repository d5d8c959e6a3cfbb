// berth-registry: an OCI distribution registry.
//   berth-registry [serve] [--root DIR] [--addr HOST:PORT] [--config FILE] [--htpasswd FILE]
//                  [--tls-cert FILE --tls-key FILE] [--token-auth] [--token-realm URL] …
//   berth-registry garbage-collect [--root DIR] [--gc-grace SECONDS]
import { loadConfig, parseAddr } from '../config';

async function main(argv: string[]): Promise<void> {
  const command = argv[0] === 'serve' || argv[0] === 'garbage-collect' ? argv[0] : 'serve';
  const config = await loadConfig(command === argv[0] ? argv.slice(1) : argv);
  const [{ createLogger, startTelemetry }, systemd] = await Promise.all([
    import('@berth/telemetry'),
    import('@berth/systemd'),
  ]);
  const logger = createLogger('registry', {
    level: config.logLevel,
    destination: systemd.logDestination('berth-registry'),
  });
  const { Storage } = await import('../storage');
  const { collectGarbage, scheduleGarbageCollection } = await import('../gc/collector');
  if (command === 'garbage-collect') {
    await collectGarbage(new Storage(config.root), config.gc.graceSeconds * 1000, logger);
    return;
  }
  const telemetry = await startTelemetry({ service: 'registry' });
  const { createRegistry } = await import('../server');
  const { app, storage } = await createRegistry(config, logger);
  const { host, port } = parseAddr(config.addr);
  await app.listen({ host, port });
  logger.info({ addr: config.addr, root: config.root, tls: Boolean(config.tls) }, 'listening');
  systemd.notifyReady();
  const stopGc =
    config.gc.intervalSeconds > 0
      ? scheduleGarbageCollection(
          storage,
          config.gc.intervalSeconds * 1000,
          config.gc.graceSeconds * 1000,
          logger,
        )
      : () => undefined;
  const stop = (signal: string) => {
    systemd.notifyStopping();
    logger.info({ signal }, 'shutting down');
    stopGc();
    void app
      .close()
      .then(() => telemetry.shutdown())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`berth-registry: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
