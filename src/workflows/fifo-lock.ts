/**
 * A first-in, first-out lock for workflow code: each caller waits for the one before it to finish.
 * Unlike `condition(() => !busy)`, which wakes every waiter in one activation, only one holder runs at
 * a time. Plain promises only, so it is deterministic in the workflow sandbox.
 */
export function createFifoLock(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<void> = Promise.resolve();
  return async function withLock<T>(fn: () => Promise<T>): Promise<T> {
    const before = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await before;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}
