/**
 * Per-mailbox counters, one set of names for both providers, readable through the control APIs.
 * Addresses are kept lowercase.
 */
export interface MailboxCounters {
  mailbox: string;
  /** Calls per operation (the names faults take as `operation`). */
  calls: Record<string, number>;
  totalCalls: number;
  /** Quota spent: Gmail quota units; Graph requests counted against the mailbox's request window. */
  quotaUnits: number;
  /** Most calls open at once on the mailbox (Graph: including ones then refused for concurrency). */
  maxConcurrent: number;
  /** Calls refused by the provider's own limits (quota, concurrency, request window), not by injected faults. */
  rateLimited: number;
  faultsInjected: number;
  /** Sends the provider accepted (API sends and the owner's own sends from the control API). */
  sendsAccepted: number;
  /** Refresh tokens redeemed at the token endpoint. */
  tokenRefreshes: number;
  /** Push attempts (Gmail Pub/Sub pushes, Graph change notifications): each attempt, each success, each failure. */
  pushesSent: number;
  pushesDelivered: number;
  pushesFailed: number;
}

const empty = (mailbox: string): MailboxCounters => ({
  mailbox,
  calls: {},
  totalCalls: 0,
  quotaUnits: 0,
  maxConcurrent: 0,
  rateLimited: 0,
  faultsInjected: 0,
  sendsAccepted: 0,
  tokenRefreshes: 0,
  pushesSent: 0,
  pushesDelivered: 0,
  pushesFailed: 0,
});

export class Counters {
  private readonly book = new Map<string, MailboxCounters>();

  /** The live counters of a mailbox, for incrementing. */
  of(mailbox: string): MailboxCounters {
    const key = mailbox.toLowerCase();
    let c = this.book.get(key);
    if (!c) this.book.set(key, (c = empty(key)));
    return c;
  }

  call(mailbox: string, operation: string): void {
    const c = this.of(mailbox);
    c.calls[operation] = (c.calls[operation] ?? 0) + 1;
    c.totalCalls += 1;
  }

  /** `openNow` calls are open on the mailbox: keeps the peak. */
  open(mailbox: string, openNow: number): void {
    const c = this.of(mailbox);
    c.maxConcurrent = Math.max(c.maxConcurrent, openNow);
  }

  snapshot(mailbox: string): MailboxCounters {
    const c = this.of(mailbox);
    return { ...c, calls: { ...c.calls } };
  }

  reset(mailbox?: string): void {
    if (mailbox) this.book.delete(mailbox.toLowerCase());
    else this.book.clear();
  }
}
