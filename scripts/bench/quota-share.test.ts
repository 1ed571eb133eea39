import { describe, expect, it } from 'vitest';
import { quotaShare } from './quota-share';

describe('quota share of a drained backlog', () => {
  it('compares the drain with the limit spent at the minimum cost per message', () => {
    // Gmail at 6,000 units a minute, 5.02 units a message at the least: 1,195 messages a minute.
    const result = quotaShare({ messages: 5_000, ms: 300_000, limit: 6_000, windowMs: 60_000, minimumUnitsPerMessage: 5.02 });
    expect(result.msgPerSec).toBeCloseTo(16.667, 3);
    expect(result.quotaBoundMsgPerSec).toBeCloseTo(19.92, 2);
    expect(result.share).toBeCloseTo(0.8367, 4);
    // 25,100 units: five windows, the first spent at once, so four whole windows at the soonest.
    expect(result.windowBoundMs).toBe(240_000);
  });

  it('says the window does not bind when the backlog fits one (Graph: 10,000 requests per 10 minutes)', () => {
    const result = quotaShare({ messages: 5_000, ms: 100_000, limit: 10_000, windowMs: 600_000, minimumUnitsPerMessage: 1.02 });
    expect(result.windowBoundMs).toBe(0);
    expect(result.share).toBeCloseTo(50 / (10_000 / 1.02 / 600), 6);
  });
});
