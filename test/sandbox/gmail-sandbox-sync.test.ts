import type { gmail_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxGmailClients, startGmailSandbox, type GmailSandbox } from '../../src/sandbox/google';

type GaxiosFailure = { message: string; response?: { status: number; data: { error: { errors: { reason: string }[] } } } };
const failure = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a failure')), (err: unknown) => err as GaxiosFailure);

describe('Gmail sandbox: reading a mailbox through googleapis', () => {
  let sandbox: GmailSandbox;

  beforeAll(async () => {
    sandbox = await startGmailSandbox();
  });
  afterAll(() => sandbox.close());

  function account(address: string): gmail_v1.Gmail {
    return sandboxGmailClients(sandbox, sandbox.control.createAccount(address)).gmail;
  }

  it('lists delivered messages as messagesAdded history with gapped ids, paging by maxResults', async () => {
    const gmail = account('history@gmail.test');
    const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId!;
    const delivered = [];
    for (const n of [1, 2, 3]) delivered.push(await sandbox.control.deliver('history@gmail.test', { from: 'pat@client.test', subject: `Note ${n}`, text: `body ${n}` }));

    const first = (await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'], maxResults: 2 })).data;
    expect(first.history).toHaveLength(2);
    expect(first.nextPageToken).toBeTruthy();
    const second = (await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'], maxResults: 2, pageToken: first.nextPageToken! })).data;
    expect(second.nextPageToken).toBeUndefined();

    const records = [...first.history!, ...second.history!];
    expect(records.map((r) => r.messagesAdded?.[0]?.message?.id)).toEqual(delivered.map((d) => d.messageId));
    expect(records[0]!.messagesAdded![0]!.message).toEqual({ id: delivered[0]!.messageId, threadId: delivered[0]!.threadId, labelIds: ['UNREAD', 'CATEGORY_PERSONAL', 'INBOX'] });
    const ids = [start, ...records.map((r) => r.id!)].map(Number);
    ids.slice(1).forEach((id, i) => expect(id - ids[i]!).toBeGreaterThan(1));
    expect(second.historyId).toBe(sandbox.control.historyId('history@gmail.test'));
  });

  it('records label changes and filters history by type and label', async () => {
    const gmail = account('labels@gmail.test');
    const { messageId } = await sandbox.control.deliver('labels@gmail.test', { from: 'pat@client.test', subject: 'Read me', text: 'x' });
    const start = sandbox.control.historyId('labels@gmail.test');
    await gmail.users.messages.modify({ userId: 'me', id: messageId, requestBody: { removeLabelIds: ['UNREAD'], addLabelIds: ['STARRED'] } });

    const all = (await gmail.users.history.list({ userId: 'me', startHistoryId: start })).data.history!;
    expect(all.map((r) => [r.labelsAdded?.[0]?.labelIds, r.labelsRemoved?.[0]?.labelIds])).toEqual([[['STARRED'], undefined], [undefined, ['UNREAD']]]);
    const removed = (await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['labelRemoved'] })).data.history!;
    expect(removed).toHaveLength(1);
    const none = (await gmail.users.history.list({ userId: 'me', startHistoryId: start, labelId: 'SENT' })).data;
    expect(none.history).toBeUndefined();
  });

  it('answers 404 notFound for a start id older than the retained history, and an empty list for a future one', async () => {
    const gmail = account('expire@gmail.test');
    await sandbox.control.deliver('expire@gmail.test', { from: 'pat@client.test', subject: 'Old', text: 'x' });
    const start = String(Number(sandbox.control.historyId('expire@gmail.test')) - 1);
    sandbox.control.expireHistory('expire@gmail.test');

    const err = await failure(gmail.users.history.list({ userId: 'me', startHistoryId: start }));
    expect(err.response?.status).toBe(404);
    expect(err.response?.data.error.errors[0]?.reason).toBe('notFound');
    const future = (await gmail.users.history.list({ userId: 'me', startHistoryId: String(Number(start) + 1_000_000) })).data;
    expect(future).toEqual({ historyId: sandbox.control.historyId('expire@gmail.test') });
  });

  it('serves messages.get in full, metadata, minimal and raw formats, with attachments fetched by id', async () => {
    const gmail = account('formats@gmail.test');
    const pdf = Buffer.from('%PDF-1.4 quote');
    const d = await sandbox.control.deliver('formats@gmail.test', {
      from: { address: 'pat@client.test', name: 'Pat Client' },
      subject: 'Quote',
      text: 'See attached',
      html: '<p>See attached</p>',
      attachments: [{ filename: 'quote.pdf', contentType: 'application/pdf', content: pdf.toString('base64') }],
    });

    const full = (await gmail.users.messages.get({ userId: 'me', id: d.messageId })).data;
    expect(full.payload?.mimeType).toBe('multipart/mixed');
    const [body, attachment] = full.payload!.parts!;
    expect(body!.mimeType).toBe('multipart/alternative');
    expect(Buffer.from(body!.parts![0]!.body!.data!, 'base64url').toString()).toBe('See attached');
    expect(attachment).toMatchObject({ partId: '1', filename: 'quote.pdf', mimeType: 'application/pdf', body: { size: pdf.length } });
    const fetched = (await gmail.users.messages.attachments.get({ userId: 'me', messageId: d.messageId, id: attachment!.body!.attachmentId! })).data;
    expect(Buffer.from(fetched.data!, 'base64url').equals(pdf)).toBe(true);

    const metadata = (await gmail.users.messages.get({ userId: 'me', id: d.messageId, format: 'metadata', metadataHeaders: ['Subject', 'Message-ID'] })).data;
    expect(metadata.payload?.headers).toEqual([{ name: 'Subject', value: 'Quote' }, { name: 'Message-ID', value: d.rfcMessageId }]);
    expect(metadata.payload?.parts).toBeUndefined();

    const minimal = (await gmail.users.messages.get({ userId: 'me', id: d.messageId, format: 'minimal' })).data;
    expect(Object.keys(minimal).sort()).toEqual(['historyId', 'id', 'internalDate', 'labelIds', 'sizeEstimate', 'snippet', 'threadId']);

    const raw = (await gmail.users.messages.get({ userId: 'me', id: d.messageId, format: 'raw' })).data;
    expect(raw.payload).toBeUndefined();
    expect(Buffer.from(raw.raw!, 'base64url').toString()).toContain(`Message-ID: ${d.rfcMessageId}`);
    expect(raw.internalDate).toMatch(/^\d{13}$/);
  });

  it('finds a message by rfc822msgid and filters messages.list by date, label and sender', async () => {
    const gmail = account('search@gmail.test');
    const old = await sandbox.control.deliver('search@gmail.test', { from: 'pat@client.test', subject: 'Last year', text: 'x', date: '2025-01-15T10:00:00Z' });
    const recent = await sandbox.control.deliver('search@gmail.test', { from: 'sam@client.test', subject: 'Today', text: 'y', messageId: '<today.1@client.test>' });

    const byId = (await gmail.users.messages.list({ userId: 'me', q: 'rfc822msgid:today.1@client.test' })).data;
    expect(byId).toEqual({ messages: [{ id: recent.messageId, threadId: recent.threadId }], resultSizeEstimate: 1 });
    const after = (await gmail.users.messages.list({ userId: 'me', q: `after:${Math.floor(Date.parse('2026-01-01') / 1000)}` })).data;
    expect(after.messages?.map((m) => m.id)).toEqual([recent.messageId]);
    const fromPat = (await gmail.users.messages.list({ userId: 'me', q: 'from:pat@client.test', labelIds: ['INBOX'] })).data;
    expect(fromPat.messages?.map((m) => m.id)).toEqual([old.messageId]);
    const sent = (await gmail.users.messages.list({ userId: 'me', q: 'in:sent' })).data;
    expect(sent).toEqual({ resultSizeEstimate: 0 });
    const getOld = (await gmail.users.messages.get({ userId: 'me', id: old.messageId, format: 'minimal' })).data;
    expect(getOld.internalDate).toBe(String(Date.parse('2025-01-15T10:00:00Z')));
  });

  it('threads a delivered reply with its parent and serves threads.get', async () => {
    const gmail = account('threads@gmail.test');
    const first = await sandbox.control.deliver('threads@gmail.test', { from: 'pat@client.test', subject: 'Plan', text: 'a' });
    const reply = await sandbox.control.deliver('threads@gmail.test', { from: 'pat@client.test', subject: 'Re: Plan', text: 'b', inReplyTo: first.rfcMessageId });
    const unrelated = await sandbox.control.deliver('threads@gmail.test', { from: 'pat@client.test', subject: 'Re: Plan', text: 'c' });
    expect(reply.threadId).toBe(first.threadId);
    expect(unrelated.threadId).not.toBe(first.threadId);
    const thread = (await gmail.users.threads.get({ userId: 'me', id: first.threadId, format: 'minimal' })).data;
    expect(thread.messages?.map((m) => m.id)).toEqual([first.messageId, reply.messageId]);
    const missing = await failure(gmail.users.messages.get({ userId: 'me', id: 'ffffffffffffffff' }));
    expect(missing.response?.status).toBe(404);
  });
});
