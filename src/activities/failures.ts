import { ApplicationFailure } from '@temporalio/common';
import { classifyProviderError } from '../providers/errors';

/** Failure types the workflow branches on; everything else is retried by the activity's policy. */
export const FailureType = {
  RateLimited: 'RateLimited',
  AuthRevoked: 'AuthRevoked',
  CursorExpired: 'CursorExpired',
  SendLimit: 'SendLimit',
  /** A send whose provider call got no answer: it may have gone out; the workflow reconciles it later. */
  SendInDoubt: 'SendInDoubt',
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
