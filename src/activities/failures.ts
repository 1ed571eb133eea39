import { ApplicationFailure } from '@temporalio/common';
import { classifyProviderError } from '../providers/errors';

/** Failure types the workflow branches on; everything else is retried by the activity's policy. */
export const FailureType = {
  RateLimited: 'RateLimited',
  AuthRevoked: 'AuthRevoked',
  CursorExpired: 'CursorExpired',
  SendLimit: 'SendLimit',
  Permanent: 'ProviderPermanent',
  Transient: 'ProviderTransient',
} as const;

export interface FailureDetails {
  reason: string;
  retryAfterMs?: number;
}

/** Classifies a provider error once, from its source, into the failure the workflow acts on. */
export function toActivityFailure(provider: 'gmail' | 'outlook', err: unknown, now = Date.now()): ApplicationFailure {
  const c = classifyProviderError(provider, err, now);
  const message = `${provider}: ${c.reason}`;
  switch (c.kind) {
    case 'rate_limited':
      return ApplicationFailure.create({
        type: FailureType.RateLimited,
        message,
        nextRetryDelay: c.retryAfterMs,
        details: [{ reason: c.reason, retryAfterMs: c.retryAfterMs } satisfies FailureDetails],
      });
    case 'auth_revoked':
      return ApplicationFailure.create({ type: FailureType.AuthRevoked, message, nonRetryable: true, details: [{ reason: c.reason }] });
    case 'cursor_expired':
      return ApplicationFailure.create({ type: FailureType.CursorExpired, message, nonRetryable: true, details: [{ reason: c.reason }] });
    case 'send_limit':
      return ApplicationFailure.create({
        type: FailureType.SendLimit,
        message,
        nonRetryable: true,
        details: [{ reason: c.reason, ...(c.retryAfterMs !== null ? { retryAfterMs: c.retryAfterMs } : {}) }],
      });
    case 'permanent':
      return ApplicationFailure.create({ type: FailureType.Permanent, message, nonRetryable: true, details: [{ reason: c.reason }] });
    case 'retryable':
      return ApplicationFailure.create({ type: FailureType.Transient, message, details: [{ reason: c.reason }] });
  }
}

/**
 * Messages that failed to read and are not yet given up: the page is read again soon (a retry, not a
 * backoff), so the next failure is counted, until they read or reach the limit.
 */
export function unreadableSoFarFailure(provider: 'gmail' | 'outlook', pending: { providerMessageId: string; reason: string; attempts: number; error: unknown }[], limit: number): ApplicationFailure {
  const first = pending[0]!;
  const message = `${provider}: ${pending.length} message(s) failed to read; ${first.providerMessageId} attempt ${first.attempts} of ${limit}: ${first.reason}`;
  return ApplicationFailure.create({
    type: FailureType.Transient,
    message,
    details: [{ reason: message } satisfies FailureDetails],
    ...(first.error instanceof Error ? { cause: first.error } : {}),
  });
}
