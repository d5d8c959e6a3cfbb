// runc's error reporting: a logrus-style line on stderr, and with --log a JSON line
// ({"level","msg","time"}) appended to that file, which containerd's shim reads back.
import type { Flags } from './args';
import { str } from './args';

const logrusLine = (time: string, level: string, message: string) =>
  `time="${time}" level=${level} msg=${JSON.stringify(message)}\n`;

/** runc's warnings (e.g. ignored capabilities) go to stderr only. */
export function logWarning(message: string): void {
  process.stderr.write(logrusLine(new Date().toISOString(), 'warning', message));
}

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
    else dest.write(logrusLine(time, 'error', message));
    dest.flushSync();
  }
  process.stderr.write(logrusLine(time, 'error', message));
}
