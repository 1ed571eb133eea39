/**
 * Short timers so a run takes minutes: the worker and the API get these through their environment
 * (MAILSYNC_FALLBACK_POLL, MAILSYNC_MAX_BACKOFF, MAILSYNC_SEND_SETTLE, and the activity timeout the API
 * hands to each mailbox workflow). The drift audit keeps its production default (6 h): a message it would heal hours later
 * is counted as lost here.
 */
export const TIMERS = {
  fallbackPollMs: 3_000,
  /** Start-to-close of one provider activity attempt (a sync page, a send). */
  activityTimeoutMs: 4_000,
  maxBackoffMs: 10_000,
  /**
   * How long after a send call that got no answer mailsync waits before it may send again
   * (MAILSYNC_SEND_SETTLE; 1 min in production). Longer than the slowest call the faults make land.
   */
  sendSettleMs: 15_000,
  /**
   * Graph sandbox: a refresh token is refused this long after it was issued (Entra: 90 days). Every
   * redemption rotates it; mailsync redeems on each activity (every fallback poll at least), so only a
   * client that keeps an old token runs into it.
   */
  refreshTokenMaxAgeMs: 20_000,
  /**
   * Graph sandbox access tokens, shrunk with the refresh token's age (Entra: about an hour against 90
   * days). Workers reuse an access token until 5 minutes before it expires; an hour-long token against
   * a 20 s refresh token would let the refresh token age out between redemptions, which no real pair of
   * lifetimes does. Shorter than that margin, every activity redeems and rotates, as the fault intends.
   */
  accessTokenLifetimeSeconds: 10,
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
