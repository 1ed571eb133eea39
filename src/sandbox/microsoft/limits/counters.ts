import type { MailboxCounters } from '../types';

/** Per-mailbox call statistics, readable through the control API. */
export class CounterBook {
  private counters = new Map<string, MailboxCounters>();

  get(address: string): MailboxCounters {
    const key = address.toLowerCase();
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = { address: key, calls: {}, totalCalls: 0, maxConcurrent: 0, throttled: 0, faultsInjected: 0, sends: 0 }));
    return c;
  }

  call(address: string, route: string, openNow: number): void {
    const c = this.get(address);
    c.calls[route] = (c.calls[route] ?? 0) + 1;
    c.totalCalls += 1;
    c.maxConcurrent = Math.max(c.maxConcurrent, openNow);
  }

  snapshot(address: string): MailboxCounters {
    const c = this.get(address);
    return { ...c, calls: { ...c.calls } };
  }

  reset(address?: string): void {
    if (address) this.counters.delete(address.toLowerCase());
    else this.counters.clear();
  }
}
