import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggerOptions {
  /** pino level; defaults to BERTH_LOG_LEVEL, else `info`. */
  level?: string;
  /**
   * Where lines go: a file descriptor (default 2, stderr), or a synchronous sink such as
   * @berth/systemd's journal destination.
   */
  destination?: number | { write(line: string): void };
}

/**
 * JSON lines on stderr with {service, pid} on every line. The destination is synchronous and
 * in-process (no worker-thread transport) so the last lines before a crash or exit are never
 * lost and start-up stays cheap. Lines logged inside an active span carry its trace_id and
 * span_id so logs and traces can be joined.
 */
export function createLogger(service: string, opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.BERTH_LOG_LEVEL ?? 'info';
  if (!LEVELS.includes(level)) {
    throw new Error(`unknown log level "${level}" (expected one of ${LEVELS.join(', ')})`);
  }
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    },
    typeof opts.destination === 'object'
      ? opts.destination
      : pino.destination({ fd: opts.destination ?? 2, sync: true }),
  );
}
