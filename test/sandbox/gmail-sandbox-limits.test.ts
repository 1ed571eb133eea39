import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxGmailClients, startGmailSandbox, type GmailSandbox } from '../../src/sandbox/google';
import { waitFor } from '../helpers/wait';

type GaxiosFailure = { message: string; response?: { status: number; headers: Headers; data: { error: { code: number; status: string; errors: { reason: string; domain: string }[] } } } };
const failure = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a failure')), (err: unknown) => err as GaxiosFailure);
const RETRY_TEXT = /^User-rate limit exceeded\. {2}Retry after (\d{4}-\d\d-\d\dT[\d:.]+Z)$/;
const RAW = Buffer.from('From: a@gmail.test\r\nTo: b@client.test\r\nSubject: s\r\n\r\nbody').toString('base64url');

describe('Gmail sandbox: quota, concurrency and injected faults', () => {
  let sandbox: GmailSandbox;

  beforeAll(async () => {
    sandbox = await startGmailSandbox({ quotaUnitsPerMinute: 150, concurrentRequestLimit: 2 });
  });
  afterAll(() => sandbox.close());

  const client = (address: string) => sandboxGmailClients(sandbox, sandbox.control.createAccount(address)).gmail;

  it('answers 429 rateLimitExceeded with the retry time only in the message once the per-user units run out', async () => {
    const gmail = client('quota@gmail.test');
    await gmail.users.messages.send({ userId: 'me', requestBody: { raw: RAW } });
    const err = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: RAW } }));
    expect(err.response?.status).toBe(429);
    expect(err.message).toMatch(RETRY_TEXT);
    const retryAt = Date.parse(RETRY_TEXT.exec(err.message)![1]!);
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(err.response?.headers.get('retry-after')).toBeNull();
    expect(err.response?.data.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] });
    expect(sandbox.control.counters('quota@gmail.test')).toMatchObject({ unitsUsed: 100, calls: { 'messages.send': 2 }, rejected: { quota: 1 } });
  });

  it('an injected 503 on a GET is retried by gaxios and then succeeds', async () => {
    const gmail = client('retry@gmail.test');
    sandbox.control.injectFaults({ account: 'retry@gmail.test', method: 'getProfile', status: 503, count: 2 });
    const profile = (await gmail.users.getProfile({ userId: 'me' })).data;
    expect(profile.emailAddress).toBe('retry@gmail.test');
    expect(sandbox.control.counters('retry@gmail.test')).toMatchObject({ calls: { getProfile: 3 }, rejected: { faults: 2 }, unitsUsed: 1 });
  });

  it('an injected 500 on a POST is not retried and arrives as backendError', async () => {
    const gmail = client('post@gmail.test');
    sandbox.control.injectFaults({ account: 'post@gmail.test', method: 'messages.send', status: 500 });
    const err = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: RAW } }));
    expect(err.response?.status).toBe(500);
    expect(err.response?.data.error.errors[0]?.reason).toBe('backendError');
    expect(sandbox.control.counters('post@gmail.test').calls['messages.send']).toBe(1);
  });

  it('an injected 429 carries "Retry after" text', async () => {
    const gmail = client('fault429@gmail.test');
    sandbox.control.injectFaults({ account: 'fault429@gmail.test', method: 'history.list', status: 429, count: 4, retryAfterMs: 30_000 });
    const err = await failure(gmail.users.history.list({ userId: 'me', startHistoryId: sandbox.control.historyId('fault429@gmail.test') }));
    expect(err.response?.status).toBe(429);
    expect(err.message).toMatch(RETRY_TEXT);
    expect(sandbox.control.counters('fault429@gmail.test').calls['history.list']).toBe(4);
  });

  it('refuses requests above the per-user concurrency limit with 429 "Too many concurrent requests for user"', async () => {
    const gmail = client('busy@gmail.test');
    const { messageId } = await sandbox.control.deliver('busy@gmail.test', { from: 'pat@client.test', subject: 's', text: 't' });
    sandbox.control.injectFaults({ account: 'busy@gmail.test', method: 'messages.get', latencyMs: 400, count: 2 });
    const slow = [1, 2].map(() => gmail.users.messages.get({ userId: 'me', id: messageId, format: 'minimal' }));
    await waitFor(async () => sandbox.control.counters('busy@gmail.test').calls['messages.get'] === 2, { intervalMs: 5 });
    const err = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: RAW } }));
    expect(err.response?.status).toBe(429);
    expect(err.message).toBe('Too many concurrent requests for user');
    await Promise.all(slow);
    expect(sandbox.control.counters('busy@gmail.test')).toMatchObject({ maxConcurrent: 2, rejected: { concurrency: 1 } });
    sandbox.control.resetCounters('busy@gmail.test');
    expect(sandbox.control.counters('busy@gmail.test')).toMatchObject({ totalCalls: 0, unitsUsed: 0, maxConcurrent: 0 });
  });

  it('drives the same operations over the HTTP control API', async () => {
    const post = (path: string, body: unknown) => fetch(new URL(`sandbox/gmail/${path}`, sandbox.url), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const created = await (await post('accounts', { address: 'http@gmail.test', name: 'Http' })).json();
    expect(created).toMatchObject({ address: 'http@gmail.test', clientId: 'mailsync-sandbox' });
    const delivered = (await (await post('deliver', { to: 'http@gmail.test', message: { from: 'pat@client.test', subject: 'Over HTTP', text: 'x' } })).json()) as { messageId: string };
    const list = (await (await fetch(new URL('sandbox/gmail/accounts/http@gmail.test/messages?label=INBOX', sandbox.url))).json()) as { id: string; subject: string }[];
    expect(list.map((m) => [m.id, m.subject])).toEqual([[delivered.messageId, 'Over HTTP']]);
    const missing = await fetch(new URL('sandbox/gmail/accounts/nobody@gmail.test/counters', sandbox.url));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'no sandbox account nobody@gmail.test' } });
  });
});
