import { describe, expect, it } from 'vitest';
import { delayBeforeSpending, recordUnits } from './pacing';

describe('account pacing', () => {
  it('spends freely under the budget', () => {
    expect(delayBeforeSpending([{ at: 1000, units: 100 }], 2000, 500, 1000)).toBe(0);
  });

  it('waits until enough old samples leave the minute window', () => {
    const samples = [{ at: 0, units: 600 }, { at: 10_000, units: 300 }];
    // 900 used; 200 more would exceed 1000 until the sample at t=0 leaves at t=60s.
    expect(delayBeforeSpending(samples, 20_000, 200, 1000)).toBe(40_000);
  });

  it('forgets samples older than a minute', () => {
    const samples = recordUnits([{ at: 0, units: 600 }], 61_000, 5);
    expect(samples).toEqual([{ at: 61_000, units: 5 }]);
  });
});
