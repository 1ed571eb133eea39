/**
 * When a failed read counts against the message, and when a message is given up as unreadable.
 * Pure: the activities store the counts (unreadable_messages) and apply the decision.
 */
import type { FailureCount } from '../../db/repositories/unreadable';
import type { UnreadableKind } from '../../db/schema';
import type { Provider } from '../../provider';
import { classifyProviderError, providerStatusOf } from '../../providers/errors';
import { MessageUnreadableError } from '../../providers/unreadable';
import type { IngestSettings } from './memory-bound';

export type ReadFailure =
  /** About this message: its bytes do not parse or are too large, or the provider answered an error for this id. */
  | { scope: 'message'; kind: UnreadableKind; reason: string }
  /** About the mailbox or the way there (rate limit, credentials, network): stop reading, count nothing. */
  | { scope: 'mailbox' };

export function readFailure(provider: Provider, err: unknown, now: number): ReadFailure {
  if (err instanceof MessageUnreadableError) return { scope: 'message', kind: err.kind, reason: err.message.slice(0, 300) };
  const c = classifyProviderError(provider, err, now);
  if (c.kind !== 'retryable' && c.kind !== 'permanent') return { scope: 'mailbox' };
  // No HTTP answer at all says nothing about the message; an error answered for this id does.
  if (providerStatusOf(err) === null && c.kind === 'retryable') return { scope: 'mailbox' };
  return { scope: 'message', kind: 'provider', reason: c.reason };
}

/**
 * A provider outage looks like every read failing. When nothing in this run was read and more than
 * one message failed at the provider, none of those failures is counted. Bytes that do not parse
 * are counted whatever else happened: the same bytes fail the same way.
 */
export function countable(failures: { kind: UnreadableKind }[], readSoFar: number): boolean[] {
  const providerFailures = failures.filter((f) => f.kind === 'provider').length;
  const outage = readSoFar === 0 && providerFailures > 1;
  return failures.map((f) => f.kind !== 'provider' || !outage);
}

/** The count after one more failure: failures within the gap of the last counted one count once. */
export function countFailure(previous: FailureCount | null, now: number, settings: Pick<IngestSettings, 'unreadableAttemptGapMs'>): FailureCount {
  if (!previous) return { attempts: 1, lastCountedAt: now };
  if (now - previous.lastCountedAt < settings.unreadableAttemptGapMs) return previous;
  return { attempts: previous.attempts + 1, lastCountedAt: now };
}

export const isGivenUp = (count: FailureCount, settings: Pick<IngestSettings, 'unreadableAttempts'>): boolean => count.attempts >= settings.unreadableAttempts;
