// Tracing of the runtime's commands, when TRACEPARENT names a parent span. A command's span
// starts when this process started (node's own start-up is part of what the caller waits
// for); the launcher's phase stamps become child spans of create/run/exec, and start marks
// when the container process passed its exec fifo with an `exec` event. The span is written
// by recordProcessSpan, which loads no tracer: a traced call costs little more than an
// untraced one (tools/bench/tracing-overhead.mjs).
import { launchSpans, type Launched } from '@berth/oci';

const RUNTIME_NAME = 'berth-runc';

export async function traced<T>(operation: string, id: string, fn: () => Promise<T>): Promise<T> {
  if (!process.env.TRACEPARENT) return fn();
  const startNs = BigInt(Math.round(performance.timeOrigin * 1e6));
  const attributes = { 'container.id': id, 'container.runtime.name': RUNTIME_NAME };
  let result: T | undefined;
  let error: unknown;
  try {
    result = await fn();
    return result;
  } catch (err) {
    error = err;
    throw err;
  } finally {
    const times = (result as Partial<Launched> | undefined)?.times ?? [];
    // Loaded only for a traced call: telemetry's modules stay off every untraced start.
    // The one-shot entry alone: the lib's index would also load pino and the OTel API.
    const { recordProcessSpan } = await import('@berth/telemetry/oneshot');
    await recordProcessSpan(
      'runtime',
      {
        name: `runtime.${operation}`,
        startNs,
        attributes,
        events: typeof result === 'bigint' ? [{ name: 'exec', timeNs: result }] : [],
        ...(error === undefined ? {} : { error }),
      },
      launchSpans(times, attributes),
    );
  }
}
