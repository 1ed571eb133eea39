/**
 * Reads what an activity, or the workflow's own refusal of a send, failed with, and decides what the
 * mailbox workflow does about it. Pure: Temporal's failure classes are only read here, and nothing
 * touches the workflow's context, so each case is unit-tested.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../failure-type';

export interface FailureReading {
  /** The `ApplicationFailure` type; null for a timeout, a cancellation or any other untyped failure. */
  type: string | null;
  reason: string;
  /** The provider's retry time, when it named one. */
  retryAfterMs: number | null;
  /** What refused a send held in doubt (e.g. AuthRevoked), when the activity said; else the type. */
  causeType: string | null;
}

/** After a sync page gave up on an unreachable Postgres. */
export const DATABASE_RETRY_MS = 30_000;

/** Failures that prove a send did not go out: the message is failed. */
const SEND_REFUSED: ReadonlySet<string> = new Set([FailureType.AuthRevoked, FailureType.SendLimit, FailureType.Permanent]);

export function readFailure(err: unknown): FailureReading {
  const cause = applicationCause(err);
  const details = cause?.details?.[0] as { retryAfterMs?: number; cause?: string } | undefined;
  const type = cause?.type ?? null;
  return {
    type,
    reason: cause?.message ?? (err instanceof Error ? err.message : String(err)),
    retryAfterMs: details?.retryAfterMs ?? null,
    causeType: details?.cause ?? type,
  };
}

/**
 * What a failed send means. `in_doubt`: the activity said its call went unanswered. `refused`: the
 * provider proved it did not go out. `unproven`: any other failure, which leaves its fate unknown.
 */
export function sendFailureFate(type: string | null): 'in_doubt' | 'refused' | 'unproven' {
  if (type === FailureType.SendInDoubt) return 'in_doubt';
  return SEND_REFUSED.has(type ?? '') ? 'refused' : 'unproven';
}

/** When a send held in doubt is looked up again: the provider's retry time, else the send's settle time. */
export function inDoubtRetryMs(failure: FailureReading, settleMs: number): number {
  return Math.max(1_000, failure.retryAfterMs ?? settleMs);
}

/**
 * How long a failed sync backs off: a rate limit for the provider's retry time, an unreachable
 * Postgres briefly (its coming back is not the provider's business), anything else the full backoff;
 * never longer than `maxBackoffMs`.
 */
export function syncBackoffMs(failure: FailureReading, maxBackoffMs: number): number {
  const retryAfter =
    failure.type === FailureType.RateLimited ? failure.retryAfterMs : failure.type === FailureType.DatabaseUnavailable ? DATABASE_RETRY_MS : maxBackoffMs;
  return Math.min(retryAfter ?? maxBackoffMs, maxBackoffMs);
}

function applicationCause(err: unknown): ApplicationFailure | null {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  if (err instanceof ApplicationFailure) return err;
  return null;
}
