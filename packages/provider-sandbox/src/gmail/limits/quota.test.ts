import { describe, expect, it } from 'vitest';
import { RollingWindow } from './quota';

describe('RollingWindow', () => {
  it('spends while under the limit and names the time enough units roll out', () => {
    const w = new RollingWindow(60_000);
    expect(w.trySpend(1_000, 100, 250)).toEqual({ ok: true });
    expect(w.trySpend(2_000, 100, 250)).toEqual({ ok: true });
    expect(w.trySpend(3_000, 100, 250)).toEqual({ ok: false, retryAt: 61_000 });
    expect(w.used(3_000)).toBe(200);
  });

  it('frees units as they leave the window', () => {
    const w = new RollingWindow(60_000);
    w.spend(0, 200);
    w.spend(30_000, 50);
    expect(w.check(59_999, 1, 250)).toEqual({ ok: false, retryAt: 60_000 });
    expect(w.check(60_000, 200, 250)).toEqual({ ok: true });
    expect(w.used(90_000)).toBe(0);
  });

  it('waits for several entries when one is not enough', () => {
    const w = new RollingWindow(1_000);
    w.spend(0, 1);
    w.spend(100, 1);
    w.spend(200, 1);
    expect(w.check(300, 2, 3)).toEqual({ ok: false, retryAt: 1_100 });
  });
});
