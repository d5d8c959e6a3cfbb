// version "00": 2 hex version, 32 hex trace id, 16 hex parent id, 2 hex flags. Later versions may
// append fields after another dash, which a version-00 parser must ignore.
const TRACEPARENT_RE = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

export interface ParsedTraceparent {
  traceId: string;
  spanId: string;
  /** The W3C trace-flags byte; bit 0 is "sampled". */
  flags: number;
}

/** A W3C `traceparent` value, or undefined when it is malformed or names no valid span. */
export function parseTraceparent(header: string | undefined): ParsedTraceparent | undefined {
  const match = header ? TRACEPARENT_RE.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, flags: parseInt(flags, 16) };
}
