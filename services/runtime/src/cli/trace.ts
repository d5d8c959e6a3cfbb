// Tracing for the commands that launch a process: only when TRACEPARENT names a parent
// span, so untraced calls never load the OpenTelemetry SDK. The launcher's phase timestamps
// become child spans of the command's span.
import type { Launched } from '@berth/oci';

/** The launcher's phases in order; each recorded one ends a child span named after it. */
const PHASES = ['launch', 'clone', 'child', 'mounts', 'pivot', 'ready'];

function launcherSpans(times: Record<string, bigint>) {
  const seen = PHASES.filter((p) => times[p] !== undefined);
  return seen.slice(1).map((phase, i) => ({
    name: `runtime.launch.${phase}`,
    startNs: times[seen[i] as string] as bigint,
    endNs: times[phase] as bigint,
  }));
}

export async function traced<T>(operation: string, id: string, fn: () => Promise<T>): Promise<T> {
  if (!process.env.TRACEPARENT) return fn();
  const [{ startTelemetry, contextFromEnv, recordExternalSpans, withSpan }, { trace, context }] =
    await Promise.all([import('@berth/telemetry'), import('@opentelemetry/api')]);
  const telemetry = await startTelemetry({ service: 'runtime' });
  try {
    const tracer = trace.getTracer('berth-runtime');
    return await context.with(contextFromEnv(), () =>
      withSpan(
        tracer,
        `runtime.${operation}`,
        { 'container.id': id, 'container.runtime': 'berth-runc' },
        async () => {
          const result = await fn();
          const times = (result as Partial<Launched> | undefined)?.times;
          if (times) recordExternalSpans(context.active(), launcherSpans(times));
          return result;
        },
      ),
    );
  } finally {
    await telemetry.shutdown();
  }
}
