/**
 * Short timers so a run takes minutes: the worker and the API get these through their environment
 * (MAILSYNC_FALLBACK_POLL, MAILSYNC_MAX_BACKOFF, and the activity timeout the API hands to each mailbox
 * workflow). The drift audit keeps its production default (6 h): a message it would heal hours later
 * is counted as lost here.
 */
export const TIMERS = {
  fallbackPollMs: 3_000,
  /** Start-to-close of one provider activity attempt (a sync page, a send). */
  activityTimeoutMs: 4_000,
  maxBackoffMs: 10_000,
} as const;

/** How long the suite waits for things to settle. */
export const WAITS = {
  /** No change in the counts for this long (and no mailbox backing off) means the stack is quiet. */
  stallMs: 10_000,
  /** Upper bound of the wait for quiescence after an iteration's traffic; what is missing then is lost. */
  quiesceTimeoutMs: 90_000,
  /** A CRM send keeps being retried with its Idempotency-Key for this long. */
  sendDeadlineMs: 120_000,
  /** One HTTP attempt of a CRM send (the API answers when the provider has). */
  sendAttemptTimeoutMs: 45_000,
} as const;
