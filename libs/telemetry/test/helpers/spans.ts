import type { StoredSpan } from '../../src/index';

/** A stored span with distinct ids; `seq` also sets the start time (seconds after 2025-01-01). */
export function fakeSpan(seq: number, overrides: Partial<StoredSpan> = {}): StoredSpan {
  const startNs = (1_735_689_600n + BigInt(seq)) * 1_000_000_000n;
  return {
    traceId: seq.toString(16).padStart(32, 'a'),
    spanId: seq.toString(16).padStart(16, 'b'),
    name: `test.op${seq}`,
    kind: 1,
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + 1000n),
    attributes: { seq },
    status: { code: 0 },
    events: [],
    links: [],
    scope: { name: 'test' },
    resource: { 'service.name': 'berth-test' },
    ...overrides,
  };
}
