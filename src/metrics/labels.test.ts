import { describe, expect, it } from 'vitest';
import { FailureType } from '../failure-type';
import { routeLabel, sendOutcome, webhookFailureKind } from './labels';

describe('metric labels', () => {
  it('name a request by its route pattern, and every unmatched request alike', () => {
    expect(routeLabel('/v1/connections/:id')).toBe('/v1/connections/:id');
    expect(routeLabel(undefined)).toBe('unmatched');
    expect(routeLabel('')).toBe('unmatched');
  });

  it('name a send attempt by its result or the type of the failure it ended with', () => {
    expect(sendOutcome({ status: 'sent', deduplicated: false })).toBe('sent');
    expect(sendOutcome({ status: 'sent', deduplicated: true })).toBe('deduplicated');
    expect(sendOutcome({ status: 'unknown' })).toBe('in_doubt');
    expect(sendOutcome({ failureType: FailureType.SendInDoubt })).toBe('in_doubt');
    expect(sendOutcome({ failureType: FailureType.RateLimited })).toBe('rate_limited');
    expect([FailureType.AuthRevoked, FailureType.SendLimit, FailureType.Permanent].map((failureType) => sendOutcome({ failureType }))).toEqual(['refused', 'refused', 'refused']);
    expect([FailureType.Transient, FailureType.DatabaseUnavailable, null].map((failureType) => sendOutcome({ failureType }))).toEqual(['failed', 'failed', 'failed']);
  });

  it('name a failed webhook POST by its status class, or no_answer when none came', () => {
    expect([400, 404, 410, 500, 503, 302].map(webhookFailureKind)).toEqual(['4xx', '4xx', '4xx', '5xx', '5xx', '3xx']);
    expect(webhookFailureKind(null)).toBe('no_answer');
    expect(webhookFailureKind(999)).toBe('other');
  });
});
