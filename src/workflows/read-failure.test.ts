import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../failure-type';
import { DATABASE_RETRY_MS, inDoubtRetryMs, readFailure, sendFailureFate, syncBackoffMs, type FailureReading } from './read-failure';

/** What the workflow catches from an activity: an ActivityFailure whose cause is what the activity threw. */
const fromActivity = (cause: Error) => new ActivityFailure('Activity task failed', 'syncPage', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);
const typed = (type: string, message: string, details?: unknown[]) => ApplicationFailure.create({ type, message, nonRetryable: true, details });
const reading = (over: Partial<FailureReading>): FailureReading => ({ type: null, reason: 'r', retryAfterMs: null, causeType: null, ...over });
const MAX_BACKOFF = 300_000;

describe('readFailure', () => {
  const cases: { name: string; err: unknown; expected: FailureReading }[] = [
    {
      name: "an activity's rate limit: its type, message and the provider's retry time",
      err: fromActivity(typed(FailureType.RateLimited, 'gmail: quota', [{ reason: 'quota', retryAfterMs: 7_000 }])),
      expected: { type: FailureType.RateLimited, reason: 'gmail: quota', retryAfterMs: 7_000, causeType: FailureType.RateLimited },
    },
    {
      name: 'a send in doubt names what refused it as its cause',
      err: fromActivity(typed(FailureType.SendInDoubt, 'no answer', [{ reason: 'no answer', retryAfterMs: 2_000, cause: FailureType.AuthRevoked }])),
      expected: { type: FailureType.SendInDoubt, reason: 'no answer', retryAfterMs: 2_000, causeType: FailureType.AuthRevoked },
    },
    {
      name: "the workflow's own ApplicationFailure, not wrapped, without details",
      err: typed(FailureType.SendFailed, 'refused'),
      expected: { type: FailureType.SendFailed, reason: 'refused', retryAfterMs: null, causeType: FailureType.SendFailed },
    },
    {
      name: 'an activity timeout carries no type: the reason is the activity failure message',
      err: fromActivity(new TimeoutFailure('activity StartToClose timeout', undefined, TimeoutType.START_TO_CLOSE)),
      expected: { type: null, reason: 'Activity task failed', retryAfterMs: null, causeType: null },
    },
    {
      name: 'a plain error: its message',
      err: new Error('boom'),
      expected: { type: null, reason: 'boom', retryAfterMs: null, causeType: null },
    },
    { name: 'a thrown string', err: 'odd', expected: { type: null, reason: 'odd', retryAfterMs: null, causeType: null } },
  ];
  it.each(cases)('$name', ({ err, expected }) => {
    expect(readFailure(err)).toStrictEqual(expected);
  });
});

describe('sendFailureFate', () => {
  it.each([
    [FailureType.SendInDoubt, 'in_doubt'],
    [FailureType.AuthRevoked, 'refused'],
    [FailureType.SendLimit, 'refused'],
    [FailureType.Permanent, 'refused'],
    [FailureType.Transient, 'unproven'],
    [FailureType.DatabaseUnavailable, 'unproven'],
    [null, 'unproven'],
  ] as const)('%s → %s', (type, fate) => {
    expect(sendFailureFate(type)).toBe(fate);
  });
});

describe('inDoubtRetryMs', () => {
  it("looks again at the provider's retry time, else after the send's settle time, never within a second", () => {
    expect(inDoubtRetryMs(reading({ retryAfterMs: 20_000 }), 60_000)).toBe(20_000);
    expect(inDoubtRetryMs(reading({ retryAfterMs: null }), 60_000)).toBe(60_000);
    expect(inDoubtRetryMs(reading({ retryAfterMs: 10 }), 60_000)).toBe(1_000);
  });
});

describe('syncBackoffMs', () => {
  it.each([
    { name: "a rate limit waits the provider's retry time", failure: reading({ type: FailureType.RateLimited, retryAfterMs: 45_000 }), expected: 45_000 },
    { name: 'a rate limit without a retry time waits the full backoff', failure: reading({ type: FailureType.RateLimited }), expected: MAX_BACKOFF },
    { name: 'a rate limit never waits past the full backoff', failure: reading({ type: FailureType.RateLimited, retryAfterMs: 3_600_000 }), expected: MAX_BACKOFF },
    { name: 'an unreachable Postgres is looked at again soon', failure: reading({ type: FailureType.DatabaseUnavailable }), expected: DATABASE_RETRY_MS },
    { name: 'an expired cursor or any other failure waits the full backoff', failure: reading({ type: FailureType.CursorExpired }), expected: MAX_BACKOFF },
    { name: 'an untyped failure waits the full backoff', failure: reading({}), expected: MAX_BACKOFF },
  ])('$name', ({ failure, expected }) => {
    expect(syncBackoffMs(failure, MAX_BACKOFF)).toBe(expected);
  });
});
