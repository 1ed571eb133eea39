/**
 * Label values of the mailsync metrics, decided from what the code already knows. Pure, so each
 * mapping is unit-tested and a label never takes an unbounded value (a raw URL, an error message).
 */
import { FailureType } from '../failure-type';

/** The route pattern (`/v1/connections/:id`), never the raw URL; requests no route matched share one value. */
export function routeLabel(routePattern: string | undefined): string {
  return routePattern && routePattern.length > 0 ? routePattern : 'unmatched';
}

export type SendOutcome = 'sent' | 'deduplicated' | 'in_doubt' | 'rate_limited' | 'refused' | 'failed';

export type SendAttemptEnd = { status: 'sent'; deduplicated: boolean } | { status: 'unknown' } | { failureType: string | null };

/** One send attempt's outcome: from its result, or from the type of the failure it ended with. */
export function sendOutcome(end: SendAttemptEnd): SendOutcome {
  if ('status' in end) return end.status === 'unknown' ? 'in_doubt' : end.deduplicated ? 'deduplicated' : 'sent';
  switch (end.failureType) {
    case FailureType.SendInDoubt:
      return 'in_doubt';
    case FailureType.RateLimited:
      return 'rate_limited';
    case FailureType.AuthRevoked:
    case FailureType.SendLimit:
    case FailureType.Permanent:
      return 'refused';
    default:
      return 'failed';
  }
}

/** Why one webhook POST failed: the answer's status class, or `no_answer` (timeout, network, refused URL). */
export function webhookFailureKind(statusCode: number | null): string {
  if (statusCode === null) return 'no_answer';
  return statusCode >= 100 && statusCode < 600 ? `${Math.floor(statusCode / 100)}xx` : 'other';
}
