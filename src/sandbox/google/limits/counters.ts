import type { GmailMethod } from './quota';

/** What one account's API traffic looked like, for tests and operators. */
export interface AccountCounters {
  /** Gmail API calls per method, including refused and fault-answered ones. */
  calls: Partial<Record<GmailMethod, number>>;
  totalCalls: number;
  /** Quota units charged (refused calls are not charged). */
  unitsUsed: number;
  /** messages.send calls that were accepted. */
  sendsAccepted: number;
  maxConcurrent: number;
  rejected: { auth: number; quota: number; concurrency: number; sendLimit: number; faults: number };
  /**
   * Push traffic: changes that matched the watch (and asked for a push), changes the watch's label
   * filter left out, pushes acknowledged, failed attempts, and pushes given up or with no endpoint.
   */
  push: { matchedChanges: number; filteredChanges: number; delivered: number; failedAttempts: number; dropped: number };
}

export function emptyCounters(): AccountCounters {
  return {
    calls: {},
    totalCalls: 0,
    unitsUsed: 0,
    sendsAccepted: 0,
    maxConcurrent: 0,
    rejected: { auth: 0, quota: 0, concurrency: 0, sendLimit: 0, faults: 0 },
    push: { matchedChanges: 0, filteredChanges: 0, delivered: 0, failedAttempts: 0, dropped: 0 },
  };
}

export function copyCounters(c: AccountCounters): AccountCounters {
  return { ...c, calls: { ...c.calls }, rejected: { ...c.rejected }, push: { ...c.push } };
}
