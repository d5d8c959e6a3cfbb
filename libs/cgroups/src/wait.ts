import { setTimeout as sleep } from 'node:timers/promises';
import { CgroupError } from './errors';
import type { Timing } from './manager';

/** Polls `done` until it is true, or fails with `what` after timing.timeoutMs. */
export async function waitUntil(
  done: () => Promise<boolean>,
  timing: Timing,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timing.timeoutMs;
  while (!(await done())) {
    if (Date.now() >= deadline) {
      throw new CgroupError(
        `timed out after ${timing.timeoutMs} ms waiting for ${what}`,
        'ETIMEDOUT',
      );
    }
    await sleep(timing.pollMs);
  }
}

/** Runs `attempt` until it succeeds or throws something `retryable` rejects, or time runs out. */
export async function retry<T>(
  attempt: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  timing: Timing,
): Promise<T> {
  const deadline = Date.now() + timing.timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!retryable(err) || Date.now() >= deadline) throw err;
      await sleep(timing.pollMs);
    }
  }
}
