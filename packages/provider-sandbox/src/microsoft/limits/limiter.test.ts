import { describe, expect, it } from 'vitest';
import { MailboxLimiter } from './limiter';

describe('MailboxLimiter', () => {
  it('refuses the fifth concurrent request on a mailbox and admits again after a release', () => {
    const limiter = new MailboxLimiter({ maxConcurrent: 4, window: { limit: 100, windowMs: 1000 }, now: () => 0 });
    const admitted = [1, 2, 3, 4].map(() => limiter.enter('a'));
    expect(admitted.every((a) => a.ok)).toBe(true);
    expect(limiter.enter('a')).toEqual({ ok: false, reason: 'concurrency' });
    expect(limiter.enter('b').ok).toBe(true);
    const first = admitted[0];
    if (first?.ok) first.release();
    expect(limiter.enter('a').ok).toBe(true);
  });

  it('refuses requests over the window budget with the time until the oldest leaves it', () => {
    let now = 0;
    const limiter = new MailboxLimiter({ maxConcurrent: 10, window: { limit: 2, windowMs: 10_000 }, now: () => now });
    for (const t of [0, 4000]) {
      now = t;
      const a = limiter.enter('a');
      if (a.ok) a.release();
    }
    now = 6000;
    expect(limiter.enter('a')).toEqual({ ok: false, reason: 'window', retryAfterSeconds: 4 });
    now = 10_001;
    // The refused arrival at 6000 still counts: immediate retries spend the budget too.
    expect(limiter.enter('a')).toEqual({ ok: false, reason: 'window', retryAfterSeconds: 3.999 });
    now = 16_001;
    expect(limiter.enter('a').ok).toBe(true);
  });
});
