import { describe, expect, it } from 'vitest';
import { RollingWindow } from './quota';

describe('RollingWindow', () => {
  it('spends while under the limit and refuses without spending above it', () => {
    const w = new RollingWindow(60_000);
    expect(w.tryTake(0, 100, 250)).toEqual({ ok: true });
    expect(w.tryTake(10, 100, 250)).toEqual({ ok: true });
    expect(w.tryTake(20, 100, 250)).toEqual({ ok: false, retryAt: 60_000 });
    expect(w.used(20)).toBe(200);
  });

  it('gives the time when enough of the window has expired for the amount to fit', () => {
    const w = new RollingWindow(60_000);
    w.tryTake(0, 5, 10);
    w.tryTake(1_000, 5, 10);
    expect(w.tryTake(2_000, 10, 10)).toEqual({ ok: false, retryAt: 61_000 });
    expect(w.tryTake(60_000, 5, 10)).toEqual({ ok: true });
  });

  it('never fits an amount above the limit; retry is a full window away', () => {
    const w = new RollingWindow(1_000);
    expect(w.tryTake(5, 11, 10)).toEqual({ ok: false, retryAt: 1_005 });
  });
});
