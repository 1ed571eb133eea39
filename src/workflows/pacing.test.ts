import { describe, expect, it } from 'vitest';
import { delayBeforeSpending, pacingWindow, recordUnits, type UnitSample } from './pacing';

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

  it('keeps samples for the window it is given (Graph: 10 minutes)', () => {
    const samples = recordUnits([{ at: 0, units: 600 }], 590_000, 5, 600_000);
    expect(samples).toEqual([{ at: 0, units: 600 }, { at: 590_000, units: 5 }]);
    expect(delayBeforeSpending(samples, 590_000, 9_400, 10_000, 600_000)).toBe(10_000);
  });

  it('budgets a window of the pacing: per minute for Gmail, the quota per 10 minutes for Graph', () => {
    expect(pacingWindow({ unitsPerMinute: 6_000, share: 1 })).toEqual({ windowMs: 60_000, budget: 6_000 });
    expect(pacingWindow({ unitsPerMinute: 1_000, share: 1, windowMs: 600_000 })).toEqual({ windowMs: 600_000, budget: 10_000 });
    // Pacings recorded before windows were named keep their budget exactly.
    expect(pacingWindow({ unitsPerMinute: 15_000, share: 0.9 })).toEqual({ windowMs: 60_000, budget: 15_000 * 0.9 });
  });

  it('never lets a rolling window of the provider hold more than the budget, pages arriving back to back', () => {
    // A backlog drained as fast as the pacer allows: 100-message Gmail pages (502 units), each taking
    // 1 s from the pacer's go to its recorded finish, spends counted by the provider when the page starts.
    const budget = 6_000;
    const windowMs = 60_000;
    let samples: UnitSample[] = [];
    const spends: UnitSample[] = [];
    let now = 0;
    for (let page = 0; page < 60; page++) {
      now += delayBeforeSpending(samples, now, 502, budget, windowMs);
      spends.push({ at: now, units: 502 });
      now += 1_000;
      samples = recordUnits(samples, now, 502, windowMs);
    }
    const heaviest = Math.max(...spends.map((s) => spends.filter((o) => o.at > s.at - windowMs && o.at <= s.at).reduce((sum, o) => sum + o.units, 0)));
    expect(heaviest).toBe(11 * 502);
    // 11 pages per window of 61 s (the window plus the page's own time) after the first burst of 11.
    expect(spends[59]!.at).toBe(5 * 61_000 + 4 * 1_000);
  });
});
