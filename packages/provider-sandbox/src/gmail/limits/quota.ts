/** A rolling window of spent amounts (quota units per minute, sends per day). */
export class RollingWindow {
  private entries: { at: number; amount: number }[] = [];

  constructor(private readonly windowMs: number) {}

  used(now: number): number {
    this.prune(now);
    return this.entries.reduce((sum, e) => sum + e.amount, 0);
  }

  /** Whether `amount` fits under `limit` now; if not, when enough will have rolled out. */
  check(now: number, amount: number, limit: number): { ok: true } | { ok: false; retryAt: number } {
    const used = this.used(now);
    return used + amount <= limit ? { ok: true } : { ok: false, retryAt: this.freeAt(used + amount - limit, now) };
  }

  spend(now: number, amount: number): void {
    this.entries.push({ at: now, amount });
  }

  trySpend(now: number, amount: number, limit: number): { ok: true } | { ok: false; retryAt: number } {
    const result = this.check(now, amount, limit);
    if (result.ok) this.spend(now, amount);
    return result;
  }

  reset(): void {
    this.entries = [];
  }

  private freeAt(needed: number, now: number): number {
    let freed = 0;
    for (const entry of this.entries) {
      freed += entry.amount;
      if (freed >= needed) return entry.at + this.windowMs;
    }
    return now + this.windowMs;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.entries.length > 0 && this.entries[0]!.at <= cutoff) this.entries.shift();
  }
}
