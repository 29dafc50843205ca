/**
 * Runs `work` over `items` with up to `concurrency` calls in flight and yields the results in
 * the order of `items`: the stream reads the next few people while the host handles one, yet
 * delivers changes in a fixed order so each change's cursor covers exactly what came before.
 * When the consumer stops early, the calls still in flight are left to the caller's abort
 * signal; their failures are swallowed so none becomes an unhandled rejection.
 * @example
 * for await (const identity of mapOrdered(ids, 4, (id) => fetchIdentity(ctx, id, signal))) handle(identity);
 */
export async function* mapOrdered<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  const running: Array<Promise<R>> = [];
  let next = 0;
  const fill = (): void => {
    while (running.length < Math.max(1, concurrency) && next < items.length) {
      const promise = work(items[next++] as T);
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
