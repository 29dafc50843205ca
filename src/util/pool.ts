/**
 * Runs `work` over `items` with at most `limit` running at once; the first failure rejects the
 * whole run (the others finish their current item and stop taking new ones).
 */
export async function runPool<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = items[Symbol.iterator]();
  let failed = false;
  const worker = async (): Promise<void> => {
    for (let next = queue.next(); !next.done && !failed; next = queue.next()) {
      try {
        await work(next.value);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

/**
 * Runs `work` over `items` with up to `concurrency` calls in flight and yields the results in
 * the order of `items`: the stream reads the next few people while the host handles one, yet
 * delivers changes in a fixed order so each change's cursor covers exactly what came before.
 * When the consumer stops early, the calls still in flight are left to the caller's abort
 * signal; their failures are swallowed so none becomes an unhandled rejection.
 */
export async function* mapOrdered<T, R>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  // Taken one at a time: `items` may be a generator that builds each item when its turn comes.
  const queue = items[Symbol.iterator]();
  const running: Array<Promise<R>> = [];
  let ended = false;
  const fill = (): void => {
    while (!ended && running.length < Math.max(1, concurrency)) {
      const next = queue.next();
      if (next.done) {
        ended = true;
        return;
      }
      const promise = work(next.value);
      promise.catch(() => undefined);
      running.push(promise);
    }
  };
  fill();
  for (let head = running.shift(); head !== undefined; head = running.shift()) {
    const result = await head;
    fill();
    yield result;
  }
}
