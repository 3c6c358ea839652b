/**
 * Calls `fn` for every item with at most `limit` calls in flight, starting the next as soon as one
 * settles; `fn` handles its own errors (a rejection would end the whole batch).
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
