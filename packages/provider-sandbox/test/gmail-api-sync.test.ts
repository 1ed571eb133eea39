import type { gmail_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';

describe('Gmail sandbox: reading a mailbox with googleapis', () => {
  let sandbox: GmailSandbox;
  let gmail: gmail_v1.Gmail;
  const owner = 'reader@gmail.test';

  beforeAll(async () => {
    sandbox = await startGmailSandbox({ clientId: 'sync-client', clientSecret: 'sync-secret' });
    const grant = sandbox.control.createAccount(owner, { name: 'Reader' });
    gmail = sandboxClients(sandbox, grant.refreshToken).gmail;
  });
  afterAll(() => sandbox.close());

  it('refreshes the token and answers getProfile for "me"', async () => {
    const res = await gmail.users.getProfile({ userId: 'me' });
    expect(res.data).toEqual({ emailAddress: owner, messagesTotal: 0, threadsTotal: 0, historyId: sandbox.control.currentHistoryId(owner) });
    expect(sandbox.control.counters(owner)).toMatchObject({ tokenRefreshes: 1, calls: { getProfile: 1 }, quotaUnits: 1 });
  });

  it('lists delivered messages in history with increasing, non-consecutive ids, page by page', async () => {
    const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId!;
    const delivered = [];
    for (let i = 0; i < 3; i++) delivered.push(await sandbox.control.deliver(owner, { from: 'client@example.com', subject: `Note ${i}`, text: `n=${i}` }));

    const first = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'], maxResults: 2 });
    expect(first.data.history).toHaveLength(2);
    expect(first.data.nextPageToken).toEqual(expect.any(String));
    const second = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'], maxResults: 2, pageToken: first.data.nextPageToken! });
    expect(second.data.nextPageToken).toBeUndefined();

    const records = [...first.data.history!, ...second.data.history!];
    expect(records.map((r) => r.messagesAdded?.[0]?.message?.id)).toEqual(delivered.map((d) => d.messageId));
    expect(records[0]!.messagesAdded![0]!.message!.labelIds).toEqual(['INBOX', 'UNREAD']);
    const ids = records.map((r) => Number(r.id));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! - ids[i - 1]!).toBeGreaterThan(1);
    expect(second.data.historyId).toBe(sandbox.control.currentHistoryId(owner));
  });

  it('answers an up-to-date or future start id with no records and the current id', async () => {
    const current = sandbox.control.currentHistoryId(owner);
    const now = await gmail.users.history.list({ userId: 'me', startHistoryId: current });
    const future = await gmail.users.history.list({ userId: 'me', startHistoryId: String(Number(current) + 1_000_000) });
    expect(now.data).toEqual({ historyId: current });
    expect(future.data).toEqual({ historyId: current });
  });

  it('records label changes, and filters by history type and label', async () => {
    const msg = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Label me', text: 'x' });
    const start = sandbox.control.currentHistoryId(owner);
    sandbox.control.modifyLabels(owner, msg.messageId, [], ['UNREAD']);
    await gmail.users.messages.modify({ userId: 'me', id: msg.messageId, requestBody: { addLabelIds: ['STARRED'] } });

    const all = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
    expect(all.data.history!.map((h) => [h.labelsRemoved?.[0]?.labelIds, h.labelsAdded?.[0]?.labelIds])).toEqual([
      [['UNREAD'], undefined],
      [undefined, ['STARRED']],
    ]);
    const added = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['labelAdded'], labelId: 'STARRED' });
    expect(added.data.history).toHaveLength(1);
    expect(added.data.history![0]!.labelsAdded![0]!.message).toEqual({ id: msg.messageId, threadId: msg.threadId, labelIds: ['INBOX', 'STARRED'] });
  });

  it('records trash as labelsAdded TRASH and a permanent delete as messagesDeleted', async () => {
    const msg = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Bin me', text: 'x' });
    const start = sandbox.control.currentHistoryId(owner);
    const trashed = await gmail.users.messages.trash({ userId: 'me', id: msg.messageId });
    expect(trashed.data.labelIds).toEqual(['INBOX', 'UNREAD', 'TRASH']);
    sandbox.control.deleteMessage(owner, msg.messageId);

    const res = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['labelAdded', 'labelRemoved', 'messageDeleted'] });
    expect(res.data.history!.map((h) => ({ added: h.labelsAdded, deleted: h.messagesDeleted }))).toEqual([
      { added: [{ message: { id: msg.messageId, threadId: msg.threadId, labelIds: ['INBOX', 'UNREAD', 'TRASH'] }, labelIds: ['TRASH'] }], deleted: undefined },
      { added: undefined, deleted: [{ message: { id: msg.messageId, threadId: msg.threadId } }] },
    ]);
    const gone = await gmail.users.messages.get({ userId: 'me', id: msg.messageId }).catch((e: unknown) => e);
    expect((gone as { response?: { status: number } }).response?.status).toBe(404);
  });

  it('returns 404 notFound once the history is expired, and an empty list from the new id', async () => {
    const old = sandbox.control.currentHistoryId(owner);
    await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Before expiry', text: 'x' });
    sandbox.control.expireHistory(owner);
    const err = await gmail.users.history.list({ userId: 'me', startHistoryId: old }).catch((e: unknown) => e);
    const res = (err as { response?: { status: number; data: { error: { errors: { reason: string }[]; status: string } } } }).response;
    expect(res?.status).toBe(404);
    expect(res?.data.error.errors[0]!.reason).toBe('notFound');
    expect(res?.data.error.status).toBe('NOT_FOUND');
    const fresh = await gmail.users.history.list({ userId: 'me', startHistoryId: sandbox.control.currentHistoryId(owner) });
    expect(fresh.data.history).toBeUndefined();
  });

  it('serves the four message formats and attachments', async () => {
    const content = Buffer.from('%PDF-1.4 sandbox');
    const msg = await sandbox.control.deliver(owner, {
      from: 'Client <client@example.com>', subject: 'Formats', text: 'Body & more', html: '<p>Body &amp; more</p>',
      attachments: [{ filename: 'plan.pdf', contentType: 'application/pdf', content }],
    });
    const get = (format: string, extra: object = {}) => gmail.users.messages.get({ userId: 'me', id: msg.messageId, format, ...extra }).then((r) => r.data);

    const full = await get('full');
    expect(full).toMatchObject({ id: msg.messageId, threadId: msg.threadId, labelIds: ['INBOX', 'UNREAD'], snippet: 'Body &amp; more', historyId: expect.any(String), internalDate: expect.stringMatching(/^\d+$/) });
    expect(full.payload!.mimeType).toBe('multipart/mixed');
    const [alternative, attachment] = full.payload!.parts!;
    expect(alternative!.parts!.map((p) => [p.partId, p.mimeType])).toEqual([['0.0', 'text/plain'], ['0.1', 'text/html']]);
    expect(Buffer.from(alternative!.parts![0]!.body!.data!, 'base64url').toString()).toBe('Body & more');
    expect(attachment).toMatchObject({ partId: '1', mimeType: 'application/pdf', filename: 'plan.pdf', body: { size: content.length, attachmentId: expect.any(String) } });
    const fetched = await gmail.users.messages.attachments.get({ userId: 'me', messageId: msg.messageId, id: attachment!.body!.attachmentId! });
    expect(Buffer.from(fetched.data.data!, 'base64url')).toEqual(content);

    const metadata = await get('metadata', { metadataHeaders: ['Subject', 'Message-ID'] });
    expect(metadata.payload!.headers).toEqual([{ name: 'Subject', value: 'Formats' }, { name: 'Message-ID', value: msg.rfcMessageId }]);
    expect(metadata.payload!.parts).toBeUndefined();
    const minimal = await get('minimal');
    expect(minimal.payload).toBeUndefined();
    expect(minimal.raw).toBeUndefined();
    const raw = await get('raw');
    expect(Buffer.from(raw.raw!, 'base64url').toString()).toContain(`Message-ID: ${msg.rfcMessageId}`);
    expect(raw.payload).toBeUndefined();
  });

  it('searches by rfc822msgid and by after:, newest first', async () => {
    const old = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Old', text: 'x', date: new Date(Date.UTC(2020, 0, 1)) });
    const recent = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Recent', text: 'y' });
    const byId = await gmail.users.messages.list({ userId: 'me', q: `rfc822msgid:${old.rfcMessageId.replace(/[<>]/g, '')}` });
    expect(byId.data.messages).toEqual([{ id: old.messageId, threadId: old.threadId }]);
    const since = Math.floor(Date.UTC(2021, 0, 1) / 1000);
    const after = await gmail.users.messages.list({ userId: 'me', q: `after:${since}` });
    const ids = after.data.messages!.map((m) => m.id);
    expect(ids[0]).toBe(recent.messageId);
    expect(ids).not.toContain(old.messageId);
    const before = await gmail.users.messages.list({ userId: 'me', q: `before:${since}` });
    expect(before.data.messages).toEqual([{ id: old.messageId, threadId: old.threadId }]);
    const none = await gmail.users.messages.list({ userId: 'me', q: 'rfc822msgid:nothing@example.com' });
    expect(none.data).toEqual({ resultSizeEstimate: 0 });
  });
});

describe('Gmail sandbox: history retention and list paging', () => {
  let sandbox: GmailSandbox;
  let gmail: gmail_v1.Gmail;
  const owner = 'short-memory@gmail.test';

  beforeAll(async () => {
    sandbox = await startGmailSandbox({ historyRetention: 2 });
    gmail = sandboxClients(sandbox, sandbox.control.createAccount(owner).refreshToken).gmail;
  });
  afterAll(() => sandbox.close());

  it('keeps only the newest records, so an older start id answers 404', async () => {
    const start = sandbox.control.currentHistoryId(owner);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await sandbox.control.deliver(owner, { from: 'a@example.com', subject: `m${i}`, text: 'x' })).messageId);
    await expect(gmail.users.history.list({ userId: 'me', startHistoryId: start })).rejects.toMatchObject({ status: 404 });
    const first = sandbox.control.getMessage(owner, ids[0]!).historyId;
    const kept = await gmail.users.history.list({ userId: 'me', startHistoryId: first });
    expect(kept.data.history!.map((h) => h.messagesAdded![0]!.message!.id)).toEqual(ids.slice(1));
  });

  it('pages messages.list with nextPageToken', async () => {
    const first = await gmail.users.messages.list({ userId: 'me', maxResults: 2 });
    expect(first.data.messages).toHaveLength(2);
    const second = await gmail.users.messages.list({ userId: 'me', maxResults: 2, pageToken: first.data.nextPageToken! });
    expect(second.data.messages).toHaveLength(1);
    expect(second.data.nextPageToken).toBeUndefined();
    expect(second.data.resultSizeEstimate).toBe(3);
  });
});
