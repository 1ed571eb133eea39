import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { GraphErrorHandler } from '@microsoft/microsoft-graph-client/lib/src/GraphErrorHandler';
import { GaxiosError, type GaxiosOptionsPrepared, type GaxiosResponse } from 'gaxios';
import { AbortError, FetchError } from 'node-fetch';
import { describe, expect, it } from 'vitest';
import {
  classifyProviderError,
  CONCURRENCY_RETRY_MS,
  DAILY_LIMIT_RETRY_MS,
  DEFAULT_RATE_LIMIT_RETRY_MS,
  parseRetryAfter,
  providerAnswered,
} from './errors';

const now = Date.parse('2024-05-01T10:00:00.000Z');
const GMAIL = 'https://gmail.googleapis.com/gmail/v1/users/me';
const TOKEN_URL = 'https://oauth2.googleapis.com/token';

// gaxios builds its error message from the body with this (runtime-only) helper; use it, not a copy.
const extractApiError = (GaxiosError as unknown as {
  extractAPIErrorFromResponse(res: GaxiosResponse, fallback: string): { message: string };
}).extractAPIErrorFromResponse;

function gaxiosConfig(url: string, method = 'GET'): GaxiosOptionsPrepared {
  return { url: new URL(url), method, headers: new Headers(), responseType: 'json' };
}

/** A GaxiosError as gaxios throws it for a non-2xx answer (body already read and parsed). */
async function gaxiosHttpError(status: number, body: unknown, url: string, headers: Record<string, string> = {}): Promise<GaxiosError> {
  const config = gaxiosConfig(url, /\/send$|\/token$/.test(url) ? 'POST' : 'GET');
  const raw = new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=UTF-8', ...headers } });
  await raw.text();
  const response: GaxiosResponse = Object.assign(raw, { config, data: body });
  const info = extractApiError(response, `Request failed with status code ${status}`);
  return new GaxiosError(info.message, config, response, info);
}

function googleError(code: number, reason: string, message: string, status: string, domain = 'usageLimits'): unknown {
  return { error: { code, message, errors: [{ message, domain, reason }], status } };
}

/** A GraphError as the Graph client throws it, built by the client's own error handler. */
async function graphHttpError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) {
  const raw = new Response(JSON.stringify({ error }), { status, headers: { 'content-type': 'application/json', ...headers } });
  return GraphErrorHandler.getError({ error }, status, undefined, raw);
}

const inner = { date: '2024-05-01T10:00:00', 'request-id': '9f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c', 'client-request-id': '9f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c' };

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | null]>([
    ['120', 120_000],
    ['2.128', 2_128],
    ['0', 0],
    ['Wed, 01 May 2024 10:00:30 GMT', 30_000],
    ['Wed, 01 May 2024 09:59:00 GMT', 0],
    [undefined, null],
    ['', null],
    ['-5', null],
    ['soon', null],
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('classifyProviderError: Gmail (gaxios)', () => {
  it('403 userRateLimitExceeded is a rate limit, waiting until the time in its text', async () => {
    const msg = 'User-rate limit exceeded.  Retry after 2024-05-01T10:00:42.500Z';
    const err = await gaxiosHttpError(403, googleError(403, 'userRateLimitExceeded', msg, 'PERMISSION_DENIED'), `${GMAIL}/messages/18f2a4c1d9e0b7a3?format=full`);
    expect(classifyProviderError('gmail', err, now)).toEqual({ kind: 'rate_limited', retryAfterMs: 42_500, reason: `403 userRateLimitExceeded: ${msg}` });
  });

  it('403 rateLimitExceeded per-minute quota without a time waits the default', async () => {
    const msg = "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:123'.";
    const err = await gaxiosHttpError(403, googleError(403, 'rateLimitExceeded', msg, 'PERMISSION_DENIED'), `${GMAIL}/messages/abc`);
    expect(classifyProviderError('gmail', err, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: DEFAULT_RATE_LIMIT_RETRY_MS });
  });

  it('429 concurrent-request limit waits only briefly', async () => {
    const msg = 'Too many concurrent requests for user';
    const err = await gaxiosHttpError(429, googleError(429, 'rateLimitExceeded', msg, 'RESOURCE_EXHAUSTED'), `${GMAIL}/messages/abc`);
    expect(classifyProviderError('gmail', err, now)).toEqual({ kind: 'rate_limited', retryAfterMs: CONCURRENCY_RETRY_MS, reason: `429 rateLimitExceeded: ${msg}` });
  });

  it('403 dailyLimitExceeded outside a send is a rate limit checked again hourly; quotaExceeded waits the default', async () => {
    const daily = await gaxiosHttpError(403, googleError(403, 'dailyLimitExceeded', 'Daily Limit Exceeded', 'PERMISSION_DENIED'), `${GMAIL}/history?startHistoryId=4827361`);
    expect(classifyProviderError('gmail', daily, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: DAILY_LIMIT_RETRY_MS });
    const quota = await gaxiosHttpError(403, googleError(403, 'quotaExceeded', 'Quota exceeded', 'PERMISSION_DENIED'), `${GMAIL}/messages`);
    expect(classifyProviderError('gmail', quota, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: DEFAULT_RATE_LIMIT_RETRY_MS });
  });

  it('a daily sending limit answer is send_limit, with the time when Gmail gives one', async () => {
    const text = await gaxiosHttpError(429, googleError(429, 'rateLimitExceeded', 'Daily user sending limit exceeded.', 'RESOURCE_EXHAUSTED'), `${GMAIL}/messages/send`);
    expect(classifyProviderError('gmail', text, now)).toEqual({ kind: 'send_limit', retryAfterMs: null, reason: '429 rateLimitExceeded: Daily user sending limit exceeded.' });
    const lockout = await gaxiosHttpError(429, googleError(429, 'userRateLimitExceeded', 'User-rate limit exceeded.  Retry after 2024-05-02T06:00:00.000Z', 'RESOURCE_EXHAUSTED'), `${GMAIL}/messages/send`);
    expect(classifyProviderError('gmail', lockout, now)).toMatchObject({ kind: 'send_limit', retryAfterMs: 20 * 3_600_000 });
    const daily = await gaxiosHttpError(403, googleError(403, 'dailyLimitExceeded', 'Daily Limit Exceeded', 'PERMISSION_DENIED'), `${GMAIL}/messages/send`);
    expect(classifyProviderError('gmail', daily, now)).toMatchObject({ kind: 'send_limit', retryAfterMs: null });
  });

  it('a short per-user wait on a send stays a rate limit', async () => {
    const err = await gaxiosHttpError(429, googleError(429, 'userRateLimitExceeded', 'User-rate limit exceeded.  Retry after 2024-05-01T10:00:30.000Z', 'RESOURCE_EXHAUSTED'), `${GMAIL}/messages/send`);
    expect(classifyProviderError('gmail', err, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('404 on history.list is an expired cursor; 404 on a message is permanent', async () => {
    const body = googleError(404, 'notFound', 'Requested entity was not found.', 'NOT_FOUND', 'global');
    const history = await gaxiosHttpError(404, body, `${GMAIL}/history?startHistoryId=1234&historyTypes=messageAdded`);
    expect(classifyProviderError('gmail', history, now)).toEqual({ kind: 'cursor_expired', reason: '404 notFound: Requested entity was not found.' });
    const message = await gaxiosHttpError(404, body, `${GMAIL}/messages/18f2a4c1d9e0b7a3`);
    expect(classifyProviderError('gmail', message, now)).toEqual({ kind: 'permanent', status: 404, reason: '404 notFound: Requested entity was not found.' });
  });

  it('401 after refresh and 403 scope / domain policy answers need re-authentication', async () => {
    const unauth = await gaxiosHttpError(401, googleError(401, 'authError', 'Invalid Credentials', 'UNAUTHENTICATED', 'global'), `${GMAIL}/profile`);
    expect(classifyProviderError('gmail', unauth, now)).toEqual({ kind: 'auth_revoked', reason: '401 authError: Invalid Credentials' });
    const scope = await gaxiosHttpError(403, googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', 'PERMISSION_DENIED', 'global'), `${GMAIL}/messages`);
    expect(classifyProviderError('gmail', scope, now).kind).toBe('auth_revoked');
    const policy = await gaxiosHttpError(403, googleError(403, 'domainPolicy', 'The domain administrators have disabled Gmail apps.', 'PERMISSION_DENIED', 'global'), `${GMAIL}/messages`);
    expect(classifyProviderError('gmail', policy, now).kind).toBe('auth_revoked');
  });

  it('400 bad request is permanent; 500 is retryable; 503 with Retry-After is a rate limit', async () => {
    const bad = await gaxiosHttpError(400, googleError(400, 'invalidArgument', 'Recipient address required', 'INVALID_ARGUMENT', 'global'), `${GMAIL}/messages/send`);
    expect(classifyProviderError('gmail', bad, now)).toEqual({ kind: 'permanent', status: 400, reason: '400 invalidArgument: Recipient address required' });
    const backend = await gaxiosHttpError(500, googleError(500, 'backendError', 'Backend Error', 'INTERNAL', 'global'), `${GMAIL}/history?startHistoryId=1`);
    expect(classifyProviderError('gmail', backend, now)).toEqual({ kind: 'retryable', reason: '500 backendError: Backend Error' });
    const unavailable = await gaxiosHttpError(503, googleError(503, 'backendError', 'The service is currently unavailable.', 'UNAVAILABLE', 'global'), `${GMAIL}/messages`, { 'retry-after': '30' });
    expect(classifyProviderError('gmail', unavailable, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('token refresh: invalid_grant is revoked, invalid_client is our configuration, 503 is retryable', async () => {
    const grant = await gaxiosHttpError(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, TOKEN_URL);
    expect(classifyProviderError('gmail', grant, now)).toEqual({ kind: 'auth_revoked', reason: '400 invalid_grant: Token has been expired or revoked.' });
    const client = await gaxiosHttpError(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }, TOKEN_URL);
    expect(classifyProviderError('gmail', client, now)).toEqual({ kind: 'permanent', status: 401, reason: '401 invalid_client: The OAuth client was not found.' });
    const down = await gaxiosHttpError(503, { error: 'temporarily_unavailable' }, TOKEN_URL);
    expect(classifyProviderError('gmail', down, now).kind).toBe('retryable');
  });

  it('network failures and timeouts are retryable', () => {
    const config = gaxiosConfig(`${GMAIL}/messages`);
    const reset = new FetchError('request to https://gmail.googleapis.com/ failed, reason: read ECONNRESET', 'system', { code: 'ECONNRESET', errno: 'ECONNRESET', syscall: 'read' });
    expect(classifyProviderError('gmail', new GaxiosError(reset.message, config, undefined, reset), now)).toEqual({ kind: 'retryable', reason: 'network: ECONNRESET' });
    const refused = new FetchError('connect ECONNREFUSED 127.0.0.1:9', 'system', { code: 'ECONNREFUSED', errno: 'ECONNREFUSED', syscall: 'connect' });
    expect(classifyProviderError('gmail', new GaxiosError(refused.message, config, undefined, refused), now).kind).toBe('retryable');
    const timeout = new AbortError('The operation was aborted.');
    expect(classifyProviderError('gmail', new GaxiosError(timeout.message, config, undefined, timeout), now)).toEqual({ kind: 'retryable', reason: 'network: AbortError' });
    const tls = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(classifyProviderError('gmail', new GaxiosError(tls.message, config, undefined, tls), now)).toEqual({
      kind: 'retryable',
      reason: 'no response: unable to verify the first certificate',
    });
  });

  it('a bare system error is retryable; anything unknown is permanent', () => {
    const etimedout = Object.assign(new Error('connect ETIMEDOUT 142.250.0.1:443'), { code: 'ETIMEDOUT', syscall: 'connect' });
    expect(classifyProviderError('gmail', etimedout, now)).toEqual({ kind: 'retryable', reason: 'network: ETIMEDOUT' });
    expect(classifyProviderError('gmail', new Error('boom'), now)).toEqual({ kind: 'permanent', status: null, reason: 'boom' });
    expect(classifyProviderError('outlook', 'boom', now)).toEqual({ kind: 'permanent', status: null, reason: 'boom' });
  });
});

describe('classifyProviderError: Outlook (Graph client)', () => {
  it('429 TooManyRequests honours a fractional Retry-After', async () => {
    const err = await graphHttpError(429, { code: 'TooManyRequests', message: 'Please retry again later.', innerError: { ...inner, code: '429', status: '429' } }, { 'Retry-After': '2.128' });
    expect(err.statusCode).toBe(429);
    expect(classifyProviderError('outlook', err, now)).toEqual({ kind: 'rate_limited', retryAfterMs: 2_128, reason: '429 TooManyRequests: Please retry again later.' });
  });

  it('MailboxConcurrency throttling without Retry-After waits briefly, as 429 or 503', async () => {
    const message = 'Application is over its MailboxConcurrency limit.';
    for (const status of [429, 503]) {
      const err = await graphHttpError(status, { code: 'ApplicationThrottled', message });
      expect(classifyProviderError('outlook', err, now)).toEqual({ kind: 'rate_limited', retryAfterMs: CONCURRENCY_RETRY_MS, reason: `${status} ApplicationThrottled: ${message}` });
    }
  });

  it('503 / 504 with Retry-After (seconds or HTTP-date) are rate limits; without it, and 500, retryable', async () => {
    const dated = await graphHttpError(503, { code: 'serviceNotAvailable', message: 'Service Unavailable' }, { 'Retry-After': 'Wed, 01 May 2024 10:01:00 GMT' });
    expect(classifyProviderError('outlook', dated, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
    const gateway = await graphHttpError(504, { code: 'UnknownError', message: '' }, { 'Retry-After': '10' });
    expect(classifyProviderError('outlook', gateway, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 10_000 });
    const plain = await graphHttpError(503, { code: 'serviceNotAvailable', message: 'Service Unavailable' });
    expect(classifyProviderError('outlook', plain, now)).toEqual({ kind: 'retryable', reason: '503 serviceNotAvailable: Service Unavailable' });
    const badGateway = await graphHttpError(502, { code: 'BadGateway', message: '' }, { 'Retry-After': '10' });
    expect(classifyProviderError('outlook', badGateway, now)).toEqual({ kind: 'retryable', reason: '502 BadGateway' });
    const general = await graphHttpError(500, { code: 'generalException', message: 'General exception while processing.' });
    expect(classifyProviderError('outlook', general, now).kind).toBe('retryable');
  });

  it('410 SyncStateNotFound and resyncRequired are an expired delta token', async () => {
    const gone = await graphHttpError(410, { code: 'SyncStateNotFound', message: 'The sync state generation is not found; generation=149;[highest=157]', innerError: inner });
    expect(classifyProviderError('outlook', gone, now)).toEqual({ kind: 'cursor_expired', reason: '410 SyncStateNotFound: The sync state generation is not found; generation=149;[highest=157]' });
    const resync = await graphHttpError(400, { code: 'resyncRequired', message: 'Resync required.' });
    expect(classifyProviderError('outlook', resync, now).kind).toBe('cursor_expired');
  });

  it('401 InvalidAuthenticationToken and 403 ErrorAccessDenied need re-authentication', async () => {
    const expired = await graphHttpError(401, { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.', innerError: inner });
    expect(classifyProviderError('outlook', expired, now)).toEqual({ kind: 'auth_revoked', reason: '401 InvalidAuthenticationToken: Access token has expired or is not yet valid.' });
    const denied = await graphHttpError(403, { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' });
    expect(classifyProviderError('outlook', denied, now).kind).toBe('auth_revoked');
  });

  it('404 ErrorItemNotFound, 400 ErrorInvalidRecipients and 413 are permanent', async () => {
    const missing = await graphHttpError(404, { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' });
    expect(classifyProviderError('outlook', missing, now)).toEqual({ kind: 'permanent', status: 404, reason: '404 ErrorItemNotFound: The specified object was not found in the store.' });
    const recipients = await graphHttpError(400, { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' });
    expect(classifyProviderError('outlook', recipients, now)).toMatchObject({ kind: 'permanent', status: 400 });
    const tooLarge = await graphHttpError(413, { code: 'RequestEntityTooLarge', message: 'The maximum request length supported is 4MB.' });
    expect(classifyProviderError('outlook', tooLarge, now)).toMatchObject({ kind: 'permanent', status: 413 });
  });

  it('a failed fetch wrapped by the Graph client is retryable', async () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const err = await GraphErrorHandler.getError(new TypeError('fetch failed', { cause }));
    expect(err.statusCode).toBe(-1);
    expect(classifyProviderError('outlook', err, now)).toEqual({ kind: 'retryable', reason: 'network: fetch failed' });
  });

  it('MSAL errors thrown by the auth provider and wrapped by the Graph client keep their meaning', async () => {
    const revoked = new InteractionRequiredAuthError('invalid_grant', 'corr-1', 'AADSTS50173: The provided grant has expired due to it being revoked.', 'bad_token');
    expect(classifyProviderError('outlook', await GraphErrorHandler.getError(revoked), now).kind).toBe('auth_revoked');
    const grant = new ServerError('invalid_grant', 'corr-2', 'Error(s): 70008 - Description: AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.', undefined, '70008', 400);
    expect(classifyProviderError('outlook', await GraphErrorHandler.getError(grant), now).kind).toBe('auth_revoked');
    const network = new AuthError('network_error', 'corr-3', 'Network request failed: connect ECONNREFUSED');
    expect(classifyProviderError('outlook', await GraphErrorHandler.getError(network), now).kind).toBe('retryable');
  });
});

describe('classifyProviderError: MSAL token refresh', () => {
  it('InteractionRequiredAuthError (invalid_grant + bad_token) is revoked', () => {
    const err = new InteractionRequiredAuthError('invalid_grant', 'corr-1', 'AADSTS50173: The provided grant has expired due to it being revoked.', 'bad_token', '', '', '', '50173');
    expect(classifyProviderError('outlook', err, now)).toEqual({
      kind: 'auth_revoked',
      reason: 'invalid_grant/bad_token: AADSTS50173: The provided grant has expired due to it being revoked.',
    });
  });

  it('ServerError invalid_grant is revoked, invalid_client permanent, 503 retryable, 429 rate limited', () => {
    const desc = (text: string) => `Error(s): 70008 - Timestamp: 2024-05-01 10:00:00Z - Description: ${text} - Correlation ID: c - Trace ID: t`;
    const grant = new ServerError('invalid_grant', 'c', desc('AADSTS70008: The refresh token has expired due to inactivity.'), undefined, '70008', 400);
    expect(classifyProviderError('outlook', grant, now).kind).toBe('auth_revoked');
    const client = new ServerError('invalid_client', 'c', desc('AADSTS7000215: Invalid client secret provided.'), undefined, '7000215', 401);
    expect(classifyProviderError('outlook', client, now)).toMatchObject({ kind: 'permanent', status: 401 });
    const down = new ServerError('temporarily_unavailable', 'c', desc('AADSTS90033: A transient error has occurred.'), undefined, '90033', 503);
    expect(classifyProviderError('outlook', down, now).kind).toBe('retryable');
    const throttled = new ServerError('', 'c', 'Too many requests', undefined, undefined, 429);
    expect(classifyProviderError('outlook', throttled, now)).toMatchObject({ kind: 'rate_limited', retryAfterMs: DEFAULT_RATE_LIMIT_RETRY_MS });
  });

  it('a revoked grant is recognised by its AADSTS code even under another error code', () => {
    const err = new ServerError('invalid_request', 'c', 'Error(s): 50173 - Description: AADSTS50173: The provided grant has expired due to it being revoked.', undefined, '50173', 400);
    expect(classifyProviderError('outlook', err, now).kind).toBe('auth_revoked');
  });

  it('an MSAL network error is retryable', () => {
    const err = new AuthError('network_error', 'c', 'Network request failed: connect ETIMEDOUT');
    expect(classifyProviderError('outlook', err, now).kind).toBe('retryable');
  });
});

describe('providerAnswered: is the request over at the provider?', () => {
  it('an HTTP answer of any status, from Gmail or Graph, is an answer', async () => {
    expect(providerAnswered('gmail', await gaxiosHttpError(503, googleError(503, 'backendError', 'Backend Error', 'UNAVAILABLE', 'global'), `${GMAIL}/messages/send`), now)).toBe(true);
    expect(providerAnswered('gmail', await gaxiosHttpError(400, googleError(400, 'invalidArgument', 'Invalid To header', 'INVALID_ARGUMENT', 'global'), `${GMAIL}/messages/send`), now)).toBe(true);
    expect(providerAnswered('outlook', await graphHttpError(500, { code: 'generalException', message: 'General exception while processing.' }), now)).toBe(true);
  });

  it('a timeout, an abort or a reset connection is no answer: the send may still go out', () => {
    expect(providerAnswered('gmail', Object.assign(new Error('timeout of 2000ms exceeded'), { code: 'ETIMEDOUT' }), now)).toBe(false);
    expect(providerAnswered('gmail', new AbortError('The operation was aborted.'), now)).toBe(false);
    expect(providerAnswered('outlook', new FetchError('request to https://graph/ failed, reason: socket hang up', 'system', { code: 'ECONNRESET' } as never), now)).toBe(false);
    expect(providerAnswered('outlook', Object.assign(new Error('Headers Timeout Error'), { statusCode: -1, code: 'UND_ERR_HEADERS_TIMEOUT' }), now)).toBe(false);
    expect(providerAnswered('gmail', 'not an error', now)).toBe(false);
  });

  it('a refused credential (MSAL invalid_grant) means nothing was sent', () => {
    const revoked = new InteractionRequiredAuthError('invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired.');
    expect(providerAnswered('outlook', revoked, now)).toBe(true);
  });
});
