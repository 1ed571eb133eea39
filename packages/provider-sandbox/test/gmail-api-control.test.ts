import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';

describe('Gmail sandbox: HTTP control API', () => {
  let sandbox: GmailSandbox;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(`sandbox/gmail/${path}`, sandbox.url), {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    sandbox = await startGmailSandbox();
  });
  afterAll(() => sandbox.close());

  it('creates an account whose grant works with the real clients', async () => {
    const created = await call('POST', 'accounts', { address: 'http@gmail.test', name: 'Over HTTP' });
    expect(created).toEqual({ status: 201, body: { address: 'http@gmail.test', refreshToken: expect.any(String), clientId: sandbox.clientId, clientSecret: sandbox.clientSecret } });
    const { gmail } = sandboxClients(sandbox, created.body.refreshToken);
    expect((await gmail.users.getProfile({ userId: 'me' })).data.emailAddress).toBe('http@gmail.test');
    expect((await call('GET', 'accounts')).body.accounts).toContain('http@gmail.test');
    expect((await call('POST', 'accounts', { address: 'http@gmail.test' })).status).toBe(409);
  });

  it('delivers with a base64 attachment, lists, relabels and reads messages', async () => {
    const delivered = await call('POST', 'deliver', {
      to: 'http@gmail.test', from: 'client@example.com', subject: 'Old invoice', text: 'see file',
      date: '2025-01-02T03:04:05Z', attachments: [{ filename: 'inv.txt', contentType: 'text/plain', content: Buffer.from('total 10').toString('base64') }],
    });
    expect(delivered.body).toMatchObject({ messageId: expect.any(String), threadId: expect.any(String), rfcMessageId: expect.stringMatching(/^<.+>$/) });
    const id = delivered.body.messageId as string;
    const inbox = await call('GET', 'accounts/http@gmail.test/messages?label=INBOX');
    expect(inbox.body.messages).toEqual([expect.objectContaining({ id, subject: 'Old invoice', internalDate: String(Date.parse('2025-01-02T03:04:05Z')) })]);
    const relabelled = await call('POST', `accounts/http@gmail.test/messages/${id}/labels`, { add: ['STARRED'], remove: ['INBOX'] });
    expect(relabelled.body.labelIds).toEqual(['UNREAD', 'STARRED']);
    const detail = await call('GET', `accounts/http@gmail.test/messages/${id}`);
    expect(Buffer.from(detail.body.raw, 'base64url').toString()).toContain('inv.txt');
  });

  it('delivers to mailboxes apart from the To header, as a Bcc copy arrives', async () => {
    await call('POST', 'accounts', { address: 'bcc@gmail.test' });
    const delivered = await call('POST', 'deliver', { deliverTo: 'bcc@gmail.test', to: ['list@example.com', 'other@example.com'], from: 'client@example.com', subject: 'To someone else', text: 'x' });
    expect(delivered.body.copies).toEqual([{ address: 'bcc@gmail.test', messageId: delivered.body.messageId, threadId: delivered.body.threadId }]);
    expect(sandbox.control.getMessage('bcc@gmail.test', delivered.body.messageId)).toMatchObject({ to: ['list@example.com', 'other@example.com'], labelIds: ['INBOX', 'UNREAD'] });
    expect((await call('POST', 'deliver', { from: 'client@example.com', subject: 'nowhere', text: 'x' })).status).toBe(400);
  });

  it('sends as the owner, injects faults, reads counters and push settings', async () => {
    const sent = await call('POST', 'accounts/http@gmail.test/send-as-owner', { to: ['someone@example.com'], subject: 'Hi', text: 'x' });
    expect(sent.status).toBe(200);
    expect((await call('GET', 'accounts/http@gmail.test/messages?label=SENT')).body.messages).toHaveLength(1);

    sandbox.control.resetCounters('http@gmail.test');
    expect((await call('POST', 'faults', { mailbox: 'http@gmail.test', operation: 'getProfile', status: 500, count: 4 })).status).toBe(204);
    const { gmail } = sandboxClients(sandbox, (await call('POST', 'accounts/http@gmail.test/grants')).body.refreshToken);
    await expect(gmail.users.getProfile({ userId: 'me' })).rejects.toMatchObject({ status: 500 });
    const counters = await call('GET', 'accounts/http@gmail.test/counters');
    expect(counters.body).toMatchObject({ calls: { getProfile: 4 }, faultsInjected: 4 });
    expect((await call('POST', 'counters/reset', {})).status).toBe(204);
    expect((await call('GET', 'accounts/http@gmail.test/counters')).body.totalCalls).toBe(0);

    expect((await call('PUT', 'push-endpoint', { url: 'http://127.0.0.1:9/push', audience: 'aud' })).status).toBe(204);
    expect((await call('GET', 'accounts/http@gmail.test/watch')).body).toEqual({ active: false, expiration: null, topicName: null, labelIds: [], labelFilterBehavior: null });
  });

  it('answers errors as JSON with a status', async () => {
    expect(await call('GET', 'accounts/nobody@gmail.test/messages')).toEqual({ status: 404, body: { error: { message: 'no sandbox account nobody@gmail.test' } } });
    expect((await call('POST', 'faults', { status: 200 })).status).toBe(400);
    expect((await call('POST', 'accounts', { address: 'not-an-address' })).status).toBe(400);
  });

  it('revokes and expires history over HTTP', async () => {
    const created = await call('POST', 'accounts', { address: 'http2@gmail.test' });
    const before = (await call('GET', 'accounts/http2@gmail.test/history-id')).body.historyId as string;
    await call('POST', 'deliver', { to: ['http2@gmail.test'], from: 'a@example.com', subject: 's', text: 't' });
    expect((await call('POST', 'accounts/http2@gmail.test/expire-history')).status).toBe(204);
    const { gmail } = sandboxClients(sandbox, created.body.refreshToken);
    await expect(gmail.users.history.list({ userId: 'me', startHistoryId: before })).rejects.toMatchObject({ status: 404 });
    expect((await call('POST', 'accounts/http2@gmail.test/revoke')).status).toBe(204);
    const { auth } = sandboxClients(sandbox, created.body.refreshToken);
    await expect(auth.getAccessToken()).rejects.toMatchObject({ response: { data: { error: 'invalid_grant' } } });
  });
});
