import { describe, expect, it } from 'vitest';
import { createFifoLock } from './fifo-lock';

describe('FIFO lock', () => {
  it('lets one holder in at a time, in the order they asked, even when a holder fails', async () => {
    const withLock = createFifoLock();
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) =>
      withLock(async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 5 - (i % 3)));
        order.push(i);
        inside--;
        if (i === 2) throw new Error('holder 2 failed');
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5, 6, 7].map(task));
    expect(most).toBe(1);
    expect(order).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((r) => r.status)).toStrictEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
