import { describe, expect, it } from 'vitest';
import { afterFailure, retryDelayMs } from './backoff';

const policy = { initialMs: 1_000, maxMs: 60_000, giveUpMs: 86_400_000 };

describe('webhook retry backoff', () => {
  it('doubles from the initial delay, jittered between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(3, policy, 0.5)).toBe(3_000);
  });

  it('never waits more than the maximum, however many attempts failed', () => {
    expect(retryDelayMs(7, policy, 1)).toBe(60_000);
    expect(retryDelayMs(10_000, policy, 1)).toBe(60_000);
    expect(retryDelayMs(10_000, policy, 0)).toBe(30_000);
  });

  it('keeps retrying inside the give-up window, the last try on its deadline', () => {
    expect(afterFailure({ attempt: 2, failingSinceMs: 0, nowMs: 10_000, policy, random: 1 })).toEqual({ giveUp: false, retryInMs: 2_000 });
    expect(afterFailure({ attempt: 30, failingSinceMs: 0, nowMs: 86_390_000, policy, random: 1 })).toEqual({ giveUp: false, retryInMs: 10_000 });
  });

  it('gives up once the window since the first failure has passed', () => {
    expect(afterFailure({ attempt: 31, failingSinceMs: 0, nowMs: 86_400_000, policy, random: 0.3 })).toEqual({ giveUp: true });
    expect(afterFailure({ attempt: 1, failingSinceMs: 1_000, nowMs: 86_500_000, policy, random: 0.3 })).toEqual({ giveUp: true });
  });
});
