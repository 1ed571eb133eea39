import type { AccountCounters } from '../types';

export const emptyCounters = (): AccountCounters => ({
  calls: {},
  totalCalls: 0,
  quotaUnits: 0,
  sendsAccepted: 0,
  maxConcurrent: 0,
  rateLimited: 0,
  faultsInjected: 0,
  tokenRefreshes: 0,
  pushesSent: 0,
  pushesDelivered: 0,
  pushesFailed: 0,
});

/** Per-account counters; in-flight requests are tracked here too so the peak can be reported. */
export class CounterBook {
  private readonly book = new Map<string, AccountCounters>();
  private readonly inFlight = new Map<string, number>();

  of(address: string): AccountCounters {
    let counters = this.book.get(address);
    if (!counters) {
      counters = emptyCounters();
      this.book.set(address, counters);
    }
    return counters;
  }

  snapshot(address: string): AccountCounters {
    const c = this.of(address);
    return { ...c, calls: { ...c.calls } };
  }

  call(address: string, method: string): void {
    const c = this.of(address);
    c.calls[method] = (c.calls[method] ?? 0) + 1;
    c.totalCalls += 1;
  }

  running(address: string): number {
    return this.inFlight.get(address) ?? 0;
  }

  enter(address: string): void {
    const now = this.running(address) + 1;
    this.inFlight.set(address, now);
    const c = this.of(address);
    c.maxConcurrent = Math.max(c.maxConcurrent, now);
  }

  leave(address: string): void {
    this.inFlight.set(address, Math.max(0, this.running(address) - 1));
  }

  reset(address?: string): void {
    if (address) this.book.set(address, emptyCounters());
    else this.book.clear();
  }
}
