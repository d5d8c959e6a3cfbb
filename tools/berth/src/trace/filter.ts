import { anySpanHas } from './attributes';
import { TraceUsageError } from './errors';
import type { Trace } from './model';

export interface Condition {
  key: string;
  value: string;
}

/**
 * `runtime=runc,image=busybox`: every condition must hold for some span of the trace. Keys are
 * attribute keys or the aliases id, container, image, runtime, namespace, service, name.
 */
export function parseFilter(text: string): Condition[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const key = part.slice(0, eq).trim();
      if (eq <= 0 || key === '') {
        throw new TraceUsageError(`filter '${part}' is not KEY=VALUE (e.g. runtime=runc)`);
      }
      return { key, value: part.slice(eq + 1).trim() };
    });
}

export function matchesFilter(trace: Trace, conditions: readonly Condition[]): boolean {
  const spans = trace.nodes.map((n) => n.span);
  return conditions.every((c) => anySpanHas(spans, c.key, c.value));
}
