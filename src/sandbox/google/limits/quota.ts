/** The Gmail API methods the sandbox serves, named as in Google's quota table. */
export type GmailMethod =
  | 'getProfile'
  | 'labels.list'
  | 'messages.list'
  | 'messages.get'
  | 'messages.send'
  | 'messages.attachments.get'
  | 'messages.modify'
  | 'messages.trash'
  | 'messages.untrash'
  | 'messages.delete'
  | 'threads.list'
  | 'threads.get'
  | 'history.list'
  | 'watch'
  | 'stop';

/** Per-method quota units (provider-facts 1.8, the long-standing table). */
export const DEFAULT_QUOTA_UNITS: Readonly<Record<GmailMethod, number>> = {
  getProfile: 1,
  'labels.list': 1,
  'messages.list': 5,
  'messages.get': 5,
  'messages.send': 100,
  'messages.attachments.get': 5,
  'messages.modify': 5,
  'messages.trash': 5,
  'messages.untrash': 5,
  'messages.delete': 10,
  'threads.list': 10,
  'threads.get': 10,
  'history.list': 2,
  watch: 100,
  stop: 50,
};

export type TakeResult = { ok: true } | { ok: false; retryAt: number };

/** Amounts spent over a rolling window (per-minute units, 24-hour sends). */
export class RollingWindow {
  private events: { at: number; amount: number }[] = [];

  constructor(private readonly windowMs: number) {}

  used(now: number): number {
    this.prune(now);
    return this.events.reduce((sum, e) => sum + e.amount, 0);
  }

  /**
   * Spends `amount` if it fits under `limit`; otherwise says when enough of the window will have
   * expired for it to fit (never spends on refusal: Gmail does not charge refused calls).
   */
  tryTake(now: number, amount: number, limit: number): TakeResult {
    let used = this.used(now);
    if (used + amount <= limit) {
      this.events.push({ at: now, amount });
      return { ok: true };
    }
    for (const event of this.events) {
      used -= event.amount;
      if (used + amount <= limit) return { ok: false, retryAt: event.at + this.windowMs };
    }
    return { ok: false, retryAt: now + this.windowMs };
  }

  reset(): void {
    this.events = [];
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.events.length > 0 && this.events[0]!.at <= cutoff) this.events.shift();
  }
}
