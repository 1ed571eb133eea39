import { describe, expect, it } from 'vitest';
import { activitiesMemoryBound, activityConcurrency, FETCH_CONCURRENCY, GC_HEADROOM_BYTES, maxActivityMemoryBytes, READ_OVERHEAD } from './memory-bound';

const MiB = 1024 * 1024;

describe('the read memory bound', () => {
  it('is the page concurrency times the per-message bound times what reading a byte costs', () => {
    expect(maxActivityMemoryBytes({ maxInlineMessageBytes: 4 * MiB })).toBe(FETCH_CONCURRENCY * 4 * MiB * READ_OVERHEAD);
  });

  it('sets how many activities a worker runs: its activity memory less the collector headroom, over that bound, at least one', () => {
    const settings = { maxInlineMessageBytes: 4 * MiB };
    const bound = maxActivityMemoryBytes(settings);
    expect(activityConcurrency(10 * bound + GC_HEADROOM_BYTES, settings)).toBe(10);
    expect(activityConcurrency(10 * bound + GC_HEADROOM_BYTES + bound - 1, settings)).toBe(10);
    expect(activityConcurrency(512 * MiB, settings)).toBe(6);
    expect(activityConcurrency(MiB, settings)).toBe(1);
    expect(activitiesMemoryBound(6, settings)).toBe(6 * 64 * MiB + 128 * MiB);
  });
});
