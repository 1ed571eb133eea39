import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxGmailClients, startGmailSandbox, type GmailSandbox } from '../../src/sandbox/google';
import { waitFor } from '../helpers/wait';

interface Received {
  authorization: string;
  body: { message: { data: string; messageId: string; publishTime: string; attributes: Record<string, string> }; subscription: string };
  data: { emailAddress: string; historyId: number };
}

const AUDIENCE = 'https://crm.example/webhooks/gmail';
const TOPIC = 'projects/crm/topics/gmail';

describe('Gmail sandbox: Pub/Sub push notifications', () => {
  let sandbox: GmailSandbox;
  let receiver: Server;
  let received: Received[] = [];
  let failNext = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString()) as Received['body'];
        received.push({ authorization: req.headers.authorization ?? '', body, data: JSON.parse(Buffer.from(body.message.data, 'base64').toString()) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/push`;
    sandbox = await startGmailSandbox({ pushEndpoint: endpoint, pushAudience: AUDIENCE, pushMinIntervalMs: 300, pushRetryBaseMs: 20 });
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise((resolve) => receiver.close(resolve));
  });
  beforeEach(() => {
    received = [];
    failNext = 0;
  });

  const forAccount = (address: string) => received.filter((r) => r.data.emailAddress === address);

  it('watch returns historyId and a 7-day expiration, and publishes a push whose OIDC token verifies against the JWKS', async () => {
    const { gmail } = sandboxGmailClients(sandbox, sandbox.control.createAccount('watch@gmail.test'));
    const before = Date.now();
    const watch = (await gmail.users.watch({ userId: 'me', requestBody: { topicName: TOPIC, labelIds: ['INBOX'], labelFilterBehavior: 'include' } })).data;
    expect(watch.historyId).toBe(sandbox.control.historyId('watch@gmail.test'));
    expect(Number(watch.expiration) - before).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(sandbox.control.watchState('watch@gmail.test')).toMatchObject({ active: true, topicName: TOPIC, labelIds: ['INBOX'], expiration: watch.expiration });

    const push = await waitFor(async () => forAccount('watch@gmail.test')[0]);
    expect(push.data).toEqual({ emailAddress: 'watch@gmail.test', historyId: Number(watch.historyId) });
    expect(push.body).toMatchObject({ subscription: 'projects/sandbox/subscriptions/mailsync', message: { attributes: {}, messageId: expect.stringMatching(/^\d+$/) } });
    const token = /^Bearer (.+)$/.exec(push.authorization)![1]!;
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(sandbox.certsUrl)), { audience: AUDIENCE, issuer: 'https://accounts.google.com' });
    expect(payload).toMatchObject({ email: 'mailsync-push@sandbox.iam.gserviceaccount.com', email_verified: true });
    await expect(jwtVerify(token, createRemoteJWKSet(new URL(sandbox.certsUrl)), { audience: 'someone-else' })).rejects.toThrow();
  });

  it('coalesces a burst of changes into fewer pushes, the last one carrying the newest history id', async () => {
    const { gmail } = sandboxGmailClients(sandbox, sandbox.control.createAccount('burst@gmail.test'));
    await gmail.users.watch({ userId: 'me', requestBody: { topicName: TOPIC } });
    await waitFor(async () => forAccount('burst@gmail.test').length === 1);
    for (const n of [1, 2, 3, 4, 5]) await sandbox.control.deliver('burst@gmail.test', { from: 'pat@client.test', subject: `n${n}`, text: 'x' });
    const newest = Number(sandbox.control.historyId('burst@gmail.test'));

    await waitFor(async () => forAccount('burst@gmail.test').some((p) => p.data.historyId === newest));
    const pushes = forAccount('burst@gmail.test');
    expect(pushes.length).toBeLessThan(1 + 5);
    expect(pushes[pushes.length - 1]!.data.historyId).toBe(newest);
    expect(sandbox.control.counters('burst@gmail.test').push).toMatchObject({ matchedChanges: 5, delivered: pushes.length });
  });

  it('ignores changes outside the watched labels', async () => {
    const { gmail } = sandboxGmailClients(sandbox, sandbox.control.createAccount('filter@gmail.test'));
    await gmail.users.watch({ userId: 'me', requestBody: { topicName: TOPIC, labelIds: ['SENT'], labelFilterBehavior: 'include' } });
    await waitFor(async () => forAccount('filter@gmail.test').length === 1);
    await sandbox.control.deliver('filter@gmail.test', { from: 'pat@client.test', subject: 'inbound', text: 'x' });
    const sent = await sandbox.control.sendAsOwner('filter@gmail.test', { to: 'pat@client.test', subject: 'outbound', text: 'y' });
    const sentHistoryId = Number(sandbox.control.getMessage('filter@gmail.test', sent.messageId).historyId);
    const push = await waitFor(async () => forAccount('filter@gmail.test')[1]);
    expect(push.data.historyId).toBe(sentHistoryId);
    expect(sandbox.control.counters('filter@gmail.test').push).toMatchObject({ matchedChanges: 1, filteredChanges: 1 });
  });

  it('retries a failed delivery with backoff until the endpoint accepts it', async () => {
    const { gmail } = sandboxGmailClients(sandbox, sandbox.control.createAccount('retry@gmail.test'));
    failNext = 2;
    await gmail.users.watch({ userId: 'me', requestBody: { topicName: TOPIC } });
    await waitFor(async () => forAccount('retry@gmail.test').length === 1);
    expect(sandbox.control.counters('retry@gmail.test').push).toMatchObject({ delivered: 1, failedAttempts: 2, dropped: 0 });
  });

  it('stop ends the watch and rejects a malformed topic name', async () => {
    const { gmail } = sandboxGmailClients(sandbox, sandbox.control.createAccount('stop@gmail.test'));
    await gmail.users.watch({ userId: 'me', requestBody: { topicName: TOPIC } });
    await gmail.users.stop({ userId: 'me' });
    expect(sandbox.control.watchState('stop@gmail.test')).toEqual({ active: false, topicName: null, labelIds: [], labelFilterBehavior: null, expiration: null });
    const err = await gmail.users.watch({ userId: 'me', requestBody: { topicName: 'gmail' } }).catch((e: Error & { response?: { status: number } }) => e);
    expect((err as { response?: { status: number } }).response?.status).toBe(400);
  });
});
