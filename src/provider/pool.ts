/**
 * Runs `work` over `items` with at most `limit` running at once; the first failure rejects the
 * whole run (the others finish their current item and stop taking new ones).
 * @example
 * await runPool(apps, 8, (app) => readAppUsers(app));
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
