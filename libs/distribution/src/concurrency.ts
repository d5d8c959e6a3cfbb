// Bounded parallelism for blob transfers (Docker's default is 3 downloads, 5 uploads at a time).
import pLimit from 'p-limit';

/** Runs `fn` on every item with at most `limit` running at once; results keep input order. */
export function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const run = pLimit(limit);
  return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}
