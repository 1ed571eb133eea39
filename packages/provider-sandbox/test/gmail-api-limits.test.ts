import type { gmail_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';

interface GoogleFailure {
  message: string;
  response?: { status: number; data: { error: { message: string; errors: { reason: string; domain: string }[]; status: string } } };
}

const failure = async (p: Promise<unknown>): Promise<GoogleFailure> => (await p.then(() => ({ message: 'no error' }), (e: unknown) => e)) as GoogleFailure;

const rawTo = (to: string, subject: string) => Buffer.from(`To: ${to}\r\nSubject: ${subject}\r\n\r\nbody\r\n`).toString('base64url');

describe('Gmail sandbox: quota, concurrency, send limit and injected faults', () => {
  let sandbox: GmailSandbox;
  let n = 0;

  beforeAll(async () => {
    sandbox = await startGmailSandbox({ quotaUnitsPerMinute: 250, concurrentRequestLimit: 2 });
  });
  afterAll(() => sandbox.close());

  function account(): { address: string; gmail: gmail_v1.Gmail } {
    const address = `limits-${n++}@gmail.test`;
    return { address, gmail: sandboxClients(sandbox, sandbox.control.createAccount(address).refreshToken).gmail };
  }

  it('answers 429 rateLimitExceeded with "Retry after <ISO time>" in the text once the per-minute units are spent', async () => {
    const { address, gmail } = account();
    await gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawTo('a@example.com', 'one') } });
    await gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawTo('a@example.com', 'two') } });
    const err = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawTo('a@example.com', 'three') } }));
    expect(err.response?.status).toBe(429);
    expect(err.message).toMatch(/^User-rate limit exceeded\. {2}Retry after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(err.response?.data.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] });
    const retryAt = Date.parse(/Retry after (\S+)/.exec(err.message)![1]!);
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(sandbox.control.counters(address)).toMatchObject({ quotaUnits: 200, sendsAccepted: 2, rateLimited: 1, calls: { 'messages.send': 3 } });
  });

  it('answers 429 "Too many concurrent requests for user" above the concurrent limit', async () => {
    const { address, gmail } = account();
    const msg = await sandbox.control.deliver(address, { from: 'client@example.com', subject: 'Busy', text: 'x' });
    sandbox.control.injectFaults({ mailbox: address, operation: 'messages.modify', count: 2, delayResponseMs: 400 });
    const modify = () => failure(gmail.users.messages.modify({ userId: 'me', id: msg.messageId, requestBody: { addLabelIds: ['STARRED'] } }));
    const results = await Promise.all([modify(), modify(), modify()]);
    const rejected = results.filter((r) => r.response?.status === 429);
    expect(rejected.map((r) => r.message)).toEqual(['Too many concurrent requests for user']);
    expect(sandbox.control.counters(address)).toMatchObject({ maxConcurrent: 2, rateLimited: 1 });
  });

  it('has an injected 503 on a GET retried by gaxios until it succeeds', async () => {
    const { address, gmail } = account();
    const msg = await sandbox.control.deliver(address, { from: 'client@example.com', subject: 'Flaky', text: 'x' });
    sandbox.control.injectFaults({ mailbox: address, operation: 'messages.get', status: 503, count: 2 });
    const res = await gmail.users.messages.get({ userId: 'me', id: msg.messageId, format: 'minimal' });
    expect(res.data.id).toBe(msg.messageId);
    expect(sandbox.control.counters(address)).toMatchObject({ calls: { 'messages.get': 3 }, faultsInjected: 2, quotaUnits: 5 });
  });

  it('fails a GET after gaxios has retried a persistent 500 three times', async () => {
    const { address, gmail } = account();
    sandbox.control.injectFaults({ mailbox: address, operation: 'history.list', status: 500, count: 10 });
    const err = await failure(gmail.users.history.list({ userId: 'me', startHistoryId: sandbox.control.currentHistoryId(address) }));
    expect(err.response?.status).toBe(500);
    expect(err.response?.data.error.errors[0]!.reason).toBe('backendError');
    expect(sandbox.control.counters(address).calls['history.list']).toBe(4);
    sandbox.control.clearFaults();
  });

  it('words an injected 429 with the given retry time, for any account when none is named', async () => {
    const { gmail } = account();
    const retryAt = new Date(Date.now() + 5000).toISOString();
    sandbox.control.injectFaults({ operation: 'watch', status: 429, retryAt });
    const err = await failure(gmail.users.watch({ userId: 'me', requestBody: { topicName: 'projects/p/topics/t' } }));
    expect(err.message).toBe(`User-rate limit exceeded.  Retry after ${retryAt}`);
  });

  it('enforces the rolling daily send limit, counting sends from the mail client too', async () => {
    const own = await startGmailSandbox({ dailySendLimit: 3 });
    try {
      const address = 'daily@gmail.test';
      const { gmail } = sandboxClients(own, own.control.createAccount(address).refreshToken);
      await own.control.sendAsOwner(address, { to: 'x@example.com', subject: 'client', text: 'x' });
      for (const subject of ['api 1', 'api 2']) await gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawTo('y@example.com', subject) } });
      const err = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: rawTo('y@example.com', 'api 3') } }));
      expect(err.response?.status).toBe(429);
      expect(err.message).toMatch(/^User-rate limit exceeded\. {2}Retry after \S+Z \(Mail sending\)$/);
      expect(own.control.listMessages(address, { label: 'SENT' })).toHaveLength(3);
      expect(own.control.counters(address)).toMatchObject({ sendsAccepted: 2, calls: { 'messages.send': 3 } });
    } finally {
      await own.close();
    }
  });

  it('lets faults target the token endpoint; google-auth-library retries the refresh', async () => {
    const { address, gmail } = account();
    sandbox.control.injectFaults({ mailbox: address, operation: 'oauth.token', status: 503 });
    expect((await gmail.users.getProfile({ userId: 'me' })).data.emailAddress).toBe(address);
    expect(sandbox.control.counters(address)).toMatchObject({ faultsInjected: 1, tokenRefreshes: 1 });
  });
});
