/**
 * Outlook's per-mailbox limits (provider-facts 2.5): at most N requests in progress at once
 * (MailboxConcurrency) and a request budget per sliding window. Every arriving request counts
 * toward the window, refused ones included, since immediate retries count against it too.
 */

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; reason: 'concurrency' }
  | { ok: false; reason: 'window'; retryAfterSeconds: number };

export interface LimiterOptions {
  maxConcurrent: number;
  window: { limit: number; windowMs: number };
  now?: () => number;
}

interface Slot {
  inFlight: number;
  arrivals: number[];
}

export class MailboxLimiter {
  private slots = new Map<string, Slot>();
  private readonly now: () => number;

  constructor(private readonly opts: LimiterOptions) {
    this.now = opts.now ?? Date.now;
  }

  private slot(key: string): Slot {
    let s = this.slots.get(key);
    if (!s) this.slots.set(key, (s = { inFlight: 0, arrivals: [] }));
    return s;
  }

  /** Requests open on the mailbox right now, this one included (for the peak counter). */
  openWith(key: string): number {
    return this.slot(key).inFlight + 1;
  }

  enter(key: string): Admission {
    const s = this.slot(key);
    const now = this.now();
    const { limit, windowMs } = this.opts.window;
    while (s.arrivals.length && (s.arrivals[0] ?? 0) <= now - windowMs) s.arrivals.shift();
    s.arrivals.push(now);
    if (s.arrivals.length > limit) {
      const oldest = s.arrivals[s.arrivals.length - 1 - limit] ?? now;
      return { ok: false, reason: 'window', retryAfterSeconds: Math.max(0.001, (oldest + windowMs - now) / 1000) };
    }
    if (s.inFlight >= this.opts.maxConcurrent) return { ok: false, reason: 'concurrency' };
    s.inFlight += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        s.inFlight -= 1;
      },
    };
  }
}
