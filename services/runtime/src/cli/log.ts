// runc's error reporting: a logrus-style line on stderr, and with --log a JSON line
// ({"level","msg","time"}) appended to that file, which containerd's shim reads back.
import type { Flags } from './args';
import { str } from './args';

export async function logError(global: Flags, message: string): Promise<void> {
  const time = new Date().toISOString();
  const file = str(global, 'log');
  if (file) {
    // pino only on this path: it stays off the start path of every successful command.
    const { default: pino } = await import('pino');
    const dest = pino.destination({ dest: file, append: true, sync: true, mkdir: true });
    const json = str(global, 'log-format') === 'json';
    const logger = pino(
      {
        base: undefined,
        messageKey: 'msg',
        timestamp: () => `,"time":"${time}"`,
        formatters: { level: (label) => ({ level: label }) },
      },
      dest,
    );
    if (json) logger.error(message);
    else dest.write(`time="${time}" level=error msg=${JSON.stringify(message)}\n`);
    dest.flushSync();
  }
  process.stderr.write(`time="${time}" level=error msg=${JSON.stringify(message)}\n`);
}
