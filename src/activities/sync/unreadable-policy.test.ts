import { GraphErrorHandler } from '@microsoft/microsoft-graph-client/lib/src/GraphErrorHandler';
import { GaxiosError, type GaxiosOptionsPrepared, type GaxiosResponse } from 'gaxios';
import { describe, expect, it } from 'vitest';
import { MessageUnreadableError } from '../../providers/unreadable';
import { countable, countFailure, isGivenUp, readFailure } from './unreadable-policy';

const now = Date.parse('2024-05-01T10:00:00.000Z');
const settings = { unreadableAttempts: 3, unreadableAttemptGapMs: 10_000 };

function gaxiosError(status: number | null, body?: unknown): GaxiosError {
  const config: GaxiosOptionsPrepared = { url: new URL('https://gmail.googleapis.com/gmail/v1/users/me/messages/18f'), method: 'GET', headers: new Headers(), responseType: 'json' };
  if (status === null) return new GaxiosError('socket hang up', config, undefined, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  const response: GaxiosResponse = Object.assign(new Response(JSON.stringify(body), { status }), { config, data: body });
  return new GaxiosError(`Request failed with status code ${status}`, config, response);
}

const googleError = (code: number, reason: string, message: string) => ({ error: { code, message, errors: [{ message, domain: 'global', reason }] } });

describe('R20: which failed reads count against the message', () => {
  it('R20: bytes that do not parse, or are too large even without attachments, are about the message', () => {
    expect(readFailure('gmail', new MessageUnreadableError('parse', 'message 18f does not parse as MIME: Max allowed child nodes exceeded'), now)).toEqual({
      scope: 'message',
      kind: 'parse',
      reason: 'message 18f does not parse as MIME: Max allowed child nodes exceeded',
    });
    expect(readFailure('outlook', new MessageUnreadableError('too_large', 'too large'), now)).toMatchObject({ scope: 'message', kind: 'too_large' });
  });

  it('R20: an error the provider answered for this id (5xx, a 400) is about the message', async () => {
    expect(readFailure('gmail', gaxiosError(500, googleError(500, 'backendError', 'Backend Error')), now)).toEqual({ scope: 'message', kind: 'provider', reason: '500 backendError: Backend Error' });
    expect(readFailure('gmail', gaxiosError(400, googleError(400, 'failedPrecondition', 'Precondition check failed.')), now)).toMatchObject({ scope: 'message', kind: 'provider' });
    const graph = await GraphErrorHandler.getError({ error: { code: 'generalException', message: 'General exception while processing.' } }, 500);
    expect(readFailure('outlook', graph, now)).toMatchObject({ scope: 'message', kind: 'provider' });
  });

  it('R20: rate limits, revoked credentials and no answer at all are about the mailbox, never counted', async () => {
    expect(readFailure('gmail', gaxiosError(429, googleError(429, 'rateLimitExceeded', 'User-rate limit exceeded.  Retry after 2024-05-01T10:01:00.000Z')), now)).toEqual({ scope: 'mailbox' });
    expect(readFailure('gmail', gaxiosError(403, googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded')), now)).toEqual({ scope: 'mailbox' });
    expect(readFailure('gmail', gaxiosError(401, googleError(401, 'authError', 'Invalid Credentials')), now)).toEqual({ scope: 'mailbox' });
    expect(readFailure('gmail', gaxiosError(null), now)).toEqual({ scope: 'mailbox' });
    const throttled = await GraphErrorHandler.getError({ error: { code: 'TooManyRequests', message: 'Please retry again later.' } }, 429);
    expect(readFailure('outlook', throttled, now)).toEqual({ scope: 'mailbox' });
  });

  it('R20: when nothing was read and several messages failed at the provider, it looks like an outage: none is counted', () => {
    const provider = { kind: 'provider' as const };
    const parse = { kind: 'parse' as const };
    expect(countable([provider], 0)).toEqual([true]);
    expect(countable([provider, provider, parse], 0)).toEqual([false, false, true]);
    expect(countable([provider, provider], 5)).toEqual([true, true]);
  });
});

describe('R20: attempts and giving up', () => {
  it('R20: counts a first failure, again only after the gap, and gives up at the limit', () => {
    const first = countFailure(null, now, settings);
    expect(first).toEqual({ attempts: 1, lastCountedAt: now });
    const soon = countFailure(first, now + 9_999, settings);
    expect(soon).toEqual(first);
    const second = countFailure(soon, now + 10_000, settings);
    expect(second).toEqual({ attempts: 2, lastCountedAt: now + 10_000 });
    expect(isGivenUp(second, settings)).toBe(false);
    const third = countFailure(second, now + 20_000, settings);
    expect(isGivenUp(third, settings)).toBe(true);
  });

  it('R20: with no gap every failure counts', () => {
    const noGap = { unreadableAttempts: 2, unreadableAttemptGapMs: 0 };
    const twice = countFailure(countFailure(null, now, noGap), now, noGap);
    expect(twice).toEqual({ attempts: 2, lastCountedAt: now });
    expect(isGivenUp(twice, noGap)).toBe(true);
  });
});
