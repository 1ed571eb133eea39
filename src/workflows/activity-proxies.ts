/** The mailbox workflow's activities, each with its named timeouts and retry policy, and what each call costs in quota. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FailureType } from '../failure-type';

/** Bookkeeping writes to Postgres: short, and retried until the database answers. */
export const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
/** Watch / subscription upkeep: cheap to retry later from the renewal timer, so few attempts now. */
export const watching = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } });

export function providerActivities(timeoutMs: number) {
  return {
    /**
     * One page of changes; rate limits, revoked grants and expired cursors come back to the workflow to decide.
     * It heartbeats, so a page on a worker that died is retried on another after the heartbeat timeout.
     */
    syncing: proxyActivities<Activities>({
      startToCloseTimeout: timeoutMs,
      heartbeatTimeout: syncHeartbeatTimeoutMs(timeoutMs),
      // Each attempt keeps what it read before failing, so retries make progress: retry soon, not ever later.
      retry: {
        initialInterval: '500 milliseconds',
        backoffCoefficient: 1.5,
        maximumInterval: '30 seconds',
        maximumAttempts: 12,
        nonRetryableErrorTypes: [FailureType.RateLimited, FailureType.AuthRevoked, FailureType.CursorExpired, FailureType.Permanent],
      },
    }),
    /**
     * A send: retried (an attempt after an unanswered call looks its Message-ID up first, so never twice),
     * honouring the provider's retry time. It heartbeats, so a dead worker's attempt is retried soon.
     */
    sending: proxyActivities<Activities>({
      startToCloseTimeout: timeoutMs,
      heartbeatTimeout: Math.max(2_000, Math.floor(timeoutMs / 3)),
      // Past this the send is held in doubt by the workflow (looked up again later), not failed.
      scheduleToCloseTimeout: 5 * timeoutMs,
      retry: {
        initialInterval: '1 second',
        maximumInterval: '30 seconds',
        nonRetryableErrorTypes: [FailureType.AuthRevoked, FailureType.SendLimit, FailureType.Permanent, FailureType.SendInDoubt],
      },
    }),
    /** A read flag set from the CRM: idempotent, so retried like a page, honouring the provider's retry time. */
    flagging: proxyActivities<Activities>({
      startToCloseTimeout: timeoutMs,
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 8, nonRetryableErrorTypes: [FailureType.AuthRevoked, FailureType.Permanent] },
    }),
  };
}
export type ProviderActivities = ReturnType<typeof providerActivities>;

/** 15 s for the default 2-minute page: long enough for a loaded event loop, short beside the page timeout. */
export const syncHeartbeatTimeoutMs = (timeoutMs: number) => Math.max(2_000, Math.min(15_000, Math.floor(timeoutMs / 4)));

/** Units one sync page may spend at most (a history page and a page of message reads). */
export const PAGE_UNIT_ESTIMATE = 2 + 100 * 5;
/** A send (100) and, on a retry, the Message-ID lookup (5). */
export const SEND_UNIT_ESTIMATE = 105;
export const WATCH_UNIT_ESTIMATE = 100;
/** A read flag: one Gmail `messages.modify` (5) or one Graph PATCH. */
export const FLAGS_UNIT_ESTIMATE = 5;
