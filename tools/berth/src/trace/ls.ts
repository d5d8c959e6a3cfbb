import { formatMs, renderTable } from './format';
import type { TraceSummary } from './model';

/** Newest last, like a log. */
export function renderList(rows: readonly TraceSummary[]): string {
  if (rows.length === 0) return 'no traces\n';
  const table = renderTable(
    ['TIME', 'TRACE', 'ROOT', 'CONTAINER', 'IMAGE', 'RUNTIME', 'TOTAL', 'SPANS', 'SERVICES'],
    rows.map((r) => [
      r.start.replace('T', ' ').replace('Z', ''),
      r.traceId.slice(0, 16),
      r.rootName,
      r.containerId?.slice(0, 12) ?? '-',
      r.image ?? '-',
      r.runtime ?? '-',
      formatMs(r.totalMs),
      String(r.spanCount),
      r.services.join(','),
    ]),
    ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'left'],
  );
  return table + '\n';
}
