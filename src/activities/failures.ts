import { ApplicationFailure } from '@temporalio/common';
import { DatabaseUnavailableError } from '../db/errors';
import { FailureType } from '../failure-type';
import type { Provider } from '../provider';
import { classifyProviderError } from '../providers/errors';
import { isStaleAccessToken } from '../providers/stale-access-token';
import type { ActivityDeps } from './deps';

export interface FailureDetails {
  reason: string;
  retryAfterMs?: number;
}

/**
 * Classifies a provider error once, from its source, into the failure the workflow acts on. A page
 * mixes provider calls and Postgres writes in one try: a database outage is not the provider's, and
 * must stay retryable rather than be read as a permanent provider error.
 */
export function toActivityFailure(provider: Provider, err: unknown, now = Date.now()): ApplicationFailure {
  if (err instanceof DatabaseUnavailableError) {
    return ApplicationFailure.create({ type: FailureType.DatabaseUnavailable, message: err.message, details: [{ reason: err.reason } satisfies FailureDetails] });
  }
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
      if (isStaleAccessToken(err)) {
        const reason = `${c.reason} (a reused access token was refused; the next attempt redeems a fresh one)`;
        return ApplicationFailure.create({ type: FailureType.Transient, message: `${provider}: ${reason}`, details: [{ reason } satisfies FailureDetails] });
      }
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

/** `toActivityFailure` for an activity's provider call, with rate limits counted (README, "Metrics"). */
export function providerFailure({ metrics }: Pick<ActivityDeps, 'metrics'>, provider: Provider, err: unknown): ApplicationFailure {
  const failure = toActivityFailure(provider, err);
  if (failure.type === FailureType.RateLimited) metrics?.rateLimited.inc({ provider });
  return failure;
}

/**
 * Messages that failed to read and are not yet given up: the page is read again soon (a retry, not a
 * backoff), so the next failure is counted, until they read or reach the limit.
 */
export function unreadableSoFarFailure(provider: Provider, pending: { providerMessageId: string; reason: string; attempts: number; error: unknown }[], limit: number): ApplicationFailure {
  const first = pending[0]!;
  const message = `${provider}: ${pending.length} message(s) failed to read; ${first.providerMessageId} attempt ${first.attempts} of ${limit}: ${first.reason}`;
  return ApplicationFailure.create({
    type: FailureType.Transient,
    message,
    details: [{ reason: message } satisfies FailureDetails],
    ...(first.error instanceof Error ? { cause: first.error } : {}),
  });
}
