import type { HrTime, TimeInput } from '@opentelemetry/api';

const NS_PER_S = 1_000_000_000n;

// Wall-clock anchor taken once, then advanced by the monotonic clock: timestamps stay ordered
// within the process and comparable (to ~1 µs) with CLOCK_REALTIME stamps from other processes.
const monoToWallNs =
  BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6)) - process.hrtime.bigint();

/** Current wall-clock time in nanoseconds since the Unix epoch. */
export function nowNs(): bigint {
  return process.hrtime.bigint() + monoToWallNs;
}

/** Converts an OpenTelemetry TimeInput (HrTime, epoch milliseconds or Date) to epoch ns. */
export function timeInputToNs(time: TimeInput): bigint {
  if (Array.isArray(time)) return BigInt(time[0]) * NS_PER_S + BigInt(time[1]);
  const ms = time instanceof Date ? time.getTime() : time;
  return BigInt(Math.round(ms * 1e6));
}

export function nsToHrTime(ns: bigint): HrTime {
  return [Number(ns / NS_PER_S), Number(ns % NS_PER_S)];
}
