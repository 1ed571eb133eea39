import { describe, expect, it } from 'vitest';
import { activityConcurrency, FETCH_CONCURRENCY, maxActivityMemoryBytes, READ_OVERHEAD } from './memory-bound';

const MiB = 1024 * 1024;

describe('the read memory bound', () => {
  it('is the page concurrency times the per-message bound times what reading a byte costs', () => {
    expect(maxActivityMemoryBytes({ maxInlineMessageBytes: 4 * MiB })).toBe(FETCH_CONCURRENCY * 4 * MiB * READ_OVERHEAD);
  });

  it('sets how many activities a worker runs: its activity memory over that bound, at least one', () => {
    const bound = maxActivityMemoryBytes({ maxInlineMessageBytes: 4 * MiB });
    expect(activityConcurrency(10 * bound, { maxInlineMessageBytes: 4 * MiB })).toBe(10);
    expect(activityConcurrency(10 * bound + bound - 1, { maxInlineMessageBytes: 4 * MiB })).toBe(10);
    expect(activityConcurrency(MiB, { maxInlineMessageBytes: 4 * MiB })).toBe(1);
  });
});
