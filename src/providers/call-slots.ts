/**
 * Provider calls in flight per account in this process, whatever activity makes them. The workflow runs
 * one activity of an account at a time, but an attempt the server has already given up on (its
 * heartbeat timed out while the worker's event loop stalled) can still be calling when the retry
 * starts, and one read may set off a few lookups of its own (Outlook's folder names). Graph refuses a
 * mailbox's fifth request in progress with a 429 (provider-facts 2.5); here the fifth one waits.
 */

/** Runs one provider call once a slot of the account is free; the slot is held until `fn` settles. */
export type CallSlots = <T>(fn: () => Promise<T>) => Promise<T>;

interface Slots {
  inFlight: number;
  waiting: Array<() => void>;
}

const accounts = new Map<string, Slots>();

/** Calls in flight and waiting for the account now (what the tests read). */
export function callSlotsInUse(key: string): { inFlight: number; waiting: number } {
  const s = accounts.get(key);
  return { inFlight: s?.inFlight ?? 0, waiting: s?.waiting.length ?? 0 };
}

function acquire(key: string, limit: number): Promise<void> {
  let s = accounts.get(key);
  if (!s) accounts.set(key, (s = { inFlight: 0, waiting: [] }));
  if (s.inFlight < limit) {
    s.inFlight += 1;
    return Promise.resolve();
  }
  const slots = s;
  // The slot is handed over by the release that frees it: inFlight does not drop in between.
  return new Promise((resolve) => slots.waiting.push(resolve));
}

function release(key: string): void {
  const s = accounts.get(key);
  if (!s) return;
  const next = s.waiting.shift();
  if (next) return next();
  s.inFlight -= 1;
  if (s.inFlight === 0) accounts.delete(key);
}

/** At most `limit` calls of the account `key` at once in this process, first come first served. */
export function accountCallSlots(key: string, limit: number): CallSlots {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`call slots: limit must be a positive integer, got ${limit}`);
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    await acquire(key, limit);
    try {
      return await fn();
    } finally {
      release(key);
    }
  };
}

/** No bound: what a mailbox client uses when nothing bounds its account (sandbox checks, one-off scripts). */
export const unboundedCalls: CallSlots = (fn) => fn();
