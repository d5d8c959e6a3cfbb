import { Code, TtrpcError } from './status';

// Node fires timers longer than 2^31-1 ms at once; a deadline that far away is no deadline.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs expire after ms, unless ms is 0 (no deadline) or beyond what a timer can hold. */
export const startDeadline = (ms: number, expire: () => void) =>
  ms > 0 && ms <= MAX_TIMER_MS ? setTimeout(expire, ms) : undefined;

export const deadlineExceeded = () =>
  new TtrpcError(Code.DeadlineExceeded, 'context deadline exceeded');
