import { describe, expect, it } from 'vitest';
import { accountCallSlots, callSlotsInUse } from './call-slots';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('account call slots', () => {
  it('keeps at most the limit in flight across every client of the account, in arrival order, through failures', async () => {
    // Two clients of one account, as a timed-out attempt and its retry would hold.
    const first = accountCallSlots('acc-1', 4);
    const retry = accountCallSlots('acc-1', 4);
    let inside = 0;
    let most = 0;
    const started: number[] = [];
    const call = (i: number) =>
      (i % 2 ? retry : first)(async () => {
        started.push(i);
        inside++;
        most = Math.max(most, inside);
        await tick(3 + (i % 4));
        inside--;
        if (i === 5) throw new Error('call 5 failed');
        return i;
      });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => call(i)));
    expect(most).toBe(4);
    expect(started).toStrictEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(callSlotsInUse('acc-1')).toStrictEqual({ inFlight: 0, waiting: 0 });
  });

  it('does not bound one account by another', async () => {
    const a = accountCallSlots('acc-a', 1);
    const b = accountCallSlots('acc-b', 1);
    let release!: () => void;
    const held = a(() => new Promise<void>((r) => (release = r)));
    await expect(b(async () => 'b ran')).resolves.toBe('b ran');
    expect(callSlotsInUse('acc-a')).toStrictEqual({ inFlight: 1, waiting: 0 });
    release();
    await held;
  });

  it('refuses a limit that is not a positive integer, naming it', () => {
    expect(() => accountCallSlots('acc-x', 0)).toThrow('limit must be a positive integer, got 0');
  });
});
