// Docker's time arguments (api/types/time GetTimestamp): a Go duration counted back from
// now ("10m", "1h30m"), Unix seconds with optional fraction ("1700000000.5"), or an
// RFC 3339-like date ("2024-01-02", "2024-01-02T15:04", "…:05.123Z", "…+02:00"); a date
// without a zone is local time.
import { invalidParameter } from '../api/errors';

const UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const UNIX = /^(\d+)(?:\.(\d{1,9}))?$/;
const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$/;

/** A Go time.ParseDuration value in nanoseconds, or undefined when it is not one. */
export function parseGoDuration(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(DURATION_PART))
    total += Number(amount) * UNIT_NANOS[unit!]!;
  return match[1] === '-' ? -total : total;
}

function parseDate(value: string): number | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  let ms: number;
  if (zone === undefined) ms = new Date(...fields).getTime();
  else {
    ms = Date.UTC(...fields);
    if (zone !== 'Z' && zone !== 'z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    }
  }
  if (Number.isNaN(ms)) return undefined;
  return ms * 1e6 + Number(frac.padEnd(9, '0'));
}

/** The instant `value` names, in nanoseconds since the epoch; `now` anchors durations. */
export function parseTimestamp(value: string, nowMs = Date.now()): number {
  const duration = value === '0' ? undefined : parseGoDuration(value);
  // Go's reference.Add(-d).Unix(): whole seconds.
  if (duration !== undefined) return Math.floor((nowMs * 1e6 - duration) / 1e9) * 1e9;
  const date = parseDate(value);
  if (date !== undefined) return date;
  const unix = UNIX.exec(value);
  if (unix) return Number(unix[1]) * 1e9 + Number((unix[2] ?? '').padEnd(9, '0'));
  throw invalidParameter(`failed to parse value as time or duration: "${value}"`);
}
