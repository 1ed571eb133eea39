import os from 'node:os';
import path from 'node:path';
import { GraphError, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphFetchOptions } from '../src/microsoft/trust';
import { connectSandboxAccount, startGraphSandbox, type ConnectedAccount, type GraphSandbox } from '../src/microsoft';

const certDir = path.join(os.tmpdir(), 'mailsync-graph-test-ca');
let sandbox: GraphSandbox;
let ann: ConnectedAccount;

const noRetries = () => [new RetryHandlerOptions(0, 0)];

beforeAll(async () => {
  sandbox = await startGraphSandbox({ certDir, port: 0 });
  ann = await connectSandboxAccount(sandbox, 'ann@throttle.test');
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await sandbox.control.clearFaults();
  await sandbox.control.resetCounters();
});

describe('per-mailbox concurrency', () => {
  it('refuses a fifth concurrent request with ApplicationThrottled and reports the peak', async () => {
    await sandbox.control.injectFaults({ mailbox: 'ann@throttle.test', operation: 'messages.list', latencyMs: 1000, count: 5 });
    const calls = [1, 2, 3, 4, 5].map(() => ann.client.api('/me/messages').middlewareOptions(noRetries()).get());
    const results = await Promise.allSettled(calls);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as GraphError);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toBeInstanceOf(GraphError);
    expect(refused[0]).toMatchObject({ statusCode: 429, code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    const counters = await sandbox.control.counters('ann@throttle.test');
    expect(counters).toMatchObject({ maxConcurrent: 5, rateLimited: refused.length, totalCalls: 5, calls: { 'messages.list': 5 } });
  });
});

describe('injected faults', () => {
  it('a 429 with Retry-After 0.1 is retried by the client RetryHandler', async () => {
    await sandbox.control.injectFaults({ mailbox: 'ann@throttle.test', operation: 'messages.list', status: 429, retryAfterMs: 100 });
    const page = await ann.client.api('/me/messages').get();
    expect(page.value).toEqual([]);
    expect(await sandbox.control.counters('ann@throttle.test')).toMatchObject({ calls: { 'messages.list': 2 }, faultsInjected: 1, rateLimited: 0 });
  });

  it('surfaces TooManyRequests once the client runs out of retries', async () => {
    await sandbox.control.injectFaults({ mailbox: 'ann@throttle.test', status: 429, retryAfterMs: 50, count: 4 });
    const failure = await ann.client.api('/me/mailFolders').get().catch((e: unknown) => e);
    expect(failure).toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
    expect((await sandbox.control.counters('ann@throttle.test')).calls).toEqual({ 'mailFolders.list': 4 });
  });

  it('delayResponseMs handles the call first: a send is in Sent Items before its answer arrives', async () => {
    await sandbox.control.injectFaults({ mailbox: 'ann@throttle.test', operation: 'sendMail', delayResponseMs: 1000 });
    const sending = ann.client.api('/me/sendMail').post({ message: { subject: 'Slow answer', body: { contentType: 'text', content: 'x' }, toRecipients: [{ emailAddress: { address: 'bo@client.test' } }] } });
    let settled = false;
    void sending.finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect((await sandbox.control.listMessages('ann@throttle.test', { folder: 'sentitems' })).map((m) => m.subject)).toContain('Slow answer');
    expect(settled).toBe(false);
    await sending;
  });

  it('recovers from a 503 and applies route-specific faults to that route only', async () => {
    await sandbox.control.injectFaults({ operation: 'messages.delta', status: 503, retryAfterMs: 0 });
    await ann.client.api('/me/mailFolders').get();
    const delta = await ann.client.api('/me/mailFolders/inbox/messages/delta').get();
    expect(delta['@odata.deltaLink']).toContain('$deltatoken=');
    expect((await sandbox.control.counters('ann@throttle.test')).calls).toEqual({ 'mailFolders.list': 1, 'messages.delta': 2 });
  });
});

describe('request window', () => {
  it('answers 429 TooManyRequests with Retry-After once the mailbox spends its budget', async () => {
    const small = await startGraphSandbox({ certDir, port: 0, requestWindow: { limit: 3, windowMs: 60_000 } });
    try {
      const bob = await connectSandboxAccount(small, 'bob@throttle.test');
      for (let i = 0; i < 3; i++) await bob.client.api('/me').get();
      const res = await fetch(`${small.origin}/v1.0/me`, { headers: { Authorization: `Bearer ${await bob.accessToken()}` }, ...(createGraphFetchOptions(small.caPem) as RequestInit) });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as { error: { code: string; innerError: Record<string, string> } };
      expect(body.error).toMatchObject({ code: 'TooManyRequests', innerError: { code: '429', status: '429', 'request-id': res.headers.get('request-id') } });
      expect((await small.control.counters('bob@throttle.test')).rateLimited).toBe(1);
    } finally {
      await small.close();
    }
  });
});
