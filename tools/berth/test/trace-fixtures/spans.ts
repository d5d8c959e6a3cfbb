import type { StoredSpan } from '@berth/telemetry';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** 2026-01-01T00:00:00Z in ns: hand-made spans are placed in milliseconds after it. */
export const EPOCH_NS = 1_767_225_600_000_000_000n;

export interface SpanSpec {
  traceId?: string;
  spanId: string;
  parent?: string;
  name: string;
  service?: string;
  /** Milliseconds after EPOCH_NS. */
  start: number;
  end: number;
  attributes?: StoredSpan['attributes'];
  error?: string;
}

const msToNs = (ms: number) => EPOCH_NS + BigInt(Math.round(ms * 1e6));

/** A span shaped exactly like the ones @berth/telemetry stores. */
export function span(spec: SpanSpec): StoredSpan {
  return {
    traceId: spec.traceId ?? 'a'.repeat(32),
    spanId: spec.spanId.padStart(16, '0'),
    ...(spec.parent ? { parentSpanId: spec.parent.padStart(16, '0') } : {}),
    name: spec.name,
    kind: 1,
    startTimeUnixNano: String(msToNs(spec.start)),
    endTimeUnixNano: String(msToNs(spec.end)),
    attributes: spec.attributes ?? {},
    status: spec.error ? { code: 2, message: spec.error } : { code: 0 },
    events: [],
    links: [],
    scope: { name: 'test' },
    resource: {
      'service.name': `berth-${spec.service ?? spec.name.split('.')[0]}`,
      'process.pid': 1,
    },
  };
}

/** A store directory holding `lines` (spans or raw text) in one segment. */
export async function storeWith(lines: ReadonlyArray<StoredSpan | string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-trace-store-'));
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
  await writeFile(join(dir, 'spans-000000000001.jsonl'), text + '\n');
  return dir;
}
