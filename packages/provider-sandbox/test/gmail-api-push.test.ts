import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { gmail_v1 } from 'googleapis';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';
import { waitFor } from './helpers/wait';

interface Received {
  authorization: string;
  body: { message: { data: string; messageId: string; publishTime: string; attributes: Record<string, string> }; subscription: string };
}

const notification = (r: Received) => JSON.parse(Buffer.from(r.body.message.data, 'base64').toString('utf8')) as { emailAddress: string; historyId: number };

/** A local push endpoint that records every request and answers with the next scripted status (default 204). */
async function startEndpoint(): Promise<{ url: string; received: Received[]; statuses: number[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization ?? '', body: JSON.parse(text) as Received['body'] });
      res.writeHead(statuses.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/gmail`, received, statuses, close: () => new Promise((r) => server.close(() => r())) };
}

describe('Gmail sandbox: watch and Pub/Sub push', () => {
  let sandbox: GmailSandbox;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  const audience = 'https://crm.example/webhooks/gmail';

  beforeAll(async () => {
    endpoint = await startEndpoint();
    sandbox = await startGmailSandbox({ pushEndpoint: endpoint.url, pushAudience: audience, pushMinIntervalMs: 1500, pushRetryDelaysMs: [20, 20] });
  });
  afterAll(async () => {
    await sandbox.close();
    await endpoint.close();
  });

  const pushesFor = (address: string) => endpoint.received.filter((r) => notification(r).emailAddress === address);

  async function watched(address: string, labelIds?: string[]): Promise<{ gmail: gmail_v1.Gmail; watch: gmail_v1.Schema$WatchResponse }> {
    const { gmail } = sandboxClients(sandbox, sandbox.control.createAccount(address).refreshToken);
    const res = await gmail.users.watch({ userId: 'me', requestBody: { topicName: 'projects/crm/topics/gmail', ...(labelIds ? { labelIds, labelFilterBehavior: 'INCLUDE' } : {}) } });
    await sandbox.control.pushesSettled();
    return { gmail, watch: res.data };
  }

  it('publishes one notification on watch, signed with an OIDC token that verifies against the JWKS', async () => {
    const address = 'watched@gmail.test';
    const { watch } = await watched(address);
    expect(Number(watch.expiration) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    expect(sandbox.control.watchState(address)).toMatchObject({ active: true, topicName: 'projects/crm/topics/gmail' });

    const [push] = pushesFor(address);
    expect(push!.body).toMatchObject({ subscription: 'projects/sandbox/subscriptions/mailsync', message: { messageId: expect.stringMatching(/^\d+$/), attributes: {} } });
    expect(notification(push!)).toEqual({ emailAddress: address, historyId: Number(watch.historyId) });
    const token = /^Bearer (.+)$/.exec(push!.authorization)![1]!;
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(sandbox.certsUrl)), { audience, issuer: 'https://accounts.google.com' });
    expect(payload).toMatchObject({ email: sandbox.pushServiceAccount, email_verified: true });
  });

  it('folds a burst of changes into fewer pushes, the last carrying the current history id', async () => {
    const address = 'burst@gmail.test';
    await watched(address);
    for (let i = 0; i < 6; i++) await sandbox.control.deliver(address, { from: 'client@example.com', subject: `Burst ${i}`, text: 'x' });
    const current = Number(sandbox.control.currentHistoryId(address));
    await waitFor(async () => pushesFor(address).some((p) => notification(p).historyId === current));
    await sandbox.control.pushesSettled();
    const burstPushes = pushesFor(address).slice(1);
    expect(burstPushes.length).toBeGreaterThanOrEqual(1);
    expect(burstPushes.length).toBeLessThan(6);
    expect(notification(burstPushes[burstPushes.length - 1]!).historyId).toBe(current);
  });

  it('only notifies for the watched labels', async () => {
    const address = 'inbox-only@gmail.test';
    const { gmail } = await watched(address, ['INBOX']);
    const raw = Buffer.from('To: someone@example.com\r\nSubject: Out\r\n\r\nx').toString('base64url');
    await gmail.users.messages.send({ userId: 'me', requestBody: { raw } });
    await sandbox.control.pushesSettled();
    expect(pushesFor(address)).toHaveLength(1);
    await sandbox.control.deliver(address, { from: 'client@example.com', subject: 'In', text: 'x' });
    await waitFor(async () => pushesFor(address).length === 2);
  });

  it('retries a failed push with the same message id', async () => {
    const address = 'retried@gmail.test';
    await watched(address);
    endpoint.statuses.push(500, 503);
    await sandbox.control.deliver(address, { from: 'client@example.com', subject: 'Retry', text: 'x' });
    await waitFor(async () => pushesFor(address).length === 4);
    await sandbox.control.pushesSettled();
    const retries = pushesFor(address).slice(1);
    expect(new Set(retries.map((r) => r.body.message.messageId)).size).toBe(1);
    expect(sandbox.control.counters(address)).toMatchObject({ pushesSent: 4, pushesDelivered: 2, pushesFailed: 2 });
  });

  it('keeps serving when the push endpoint is down, and stops notifying after stop', async () => {
    const address = 'stopped@gmail.test';
    const { gmail } = await watched(address);
    sandbox.control.setPushEndpoint('http://127.0.0.1:9/unreachable', audience);
    await sandbox.control.deliver(address, { from: 'client@example.com', subject: 'Lost', text: 'x' });
    await sandbox.control.pushesSettled();
    expect(sandbox.control.counters(address).pushesFailed).toBe(3);
    expect((await gmail.users.getProfile({ userId: 'me' })).data.emailAddress).toBe(address);

    sandbox.control.setPushEndpoint(endpoint.url, audience);
    await gmail.users.stop({ userId: 'me' });
    expect(sandbox.control.watchState(address).active).toBe(false);
    await sandbox.control.deliver(address, { from: 'client@example.com', subject: 'Unwatched', text: 'x' });
    await sandbox.control.pushesSettled();
    expect(pushesFor(address)).toHaveLength(1);
  });
});
