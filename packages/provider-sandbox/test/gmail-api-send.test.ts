import { Readable } from 'node:stream';
import type { gmail_v1 } from 'googleapis';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxClients, startGmailSandbox, type GmailSandbox } from '../src/gmail';

async function mime(fields: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  const node = new MailComposer(fields).compile();
  node.keepBcc = true;
  return node.build();
}

const errorOf = async (p: Promise<unknown>) => {
  const err = (await p.catch((e: unknown) => e)) as { message: string; response?: { status: number; data: { error: { errors: { reason: string }[] } } } };
  return { status: err.response?.status, reason: err.response?.data.error.errors[0]?.reason, message: err.message };
};

describe('Gmail sandbox: sending with googleapis', () => {
  let sandbox: GmailSandbox;
  let gmail: gmail_v1.Gmail;
  const owner = 'sender@gmail.test';
  const friend = 'friend@gmail.test';

  beforeAll(async () => {
    sandbox = await startGmailSandbox();
    gmail = sandboxClients(sandbox, sandbox.control.createAccount(owner, { name: 'Sender' }).refreshToken).gmail;
    sandbox.control.createAccount(friend);
  });
  afterAll(() => sandbox.close());

  it('sends raw MIME: SENT in the sender mailbox, Message-ID kept, a Bcc-free copy in the recipient inbox', async () => {
    const raw = await mime({ from: owner, to: friend, bcc: 'hidden@example.com', subject: 'Plan', text: 'Draft plan', messageId: '<plan-1@crm.test>' });
    const res = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url') } });
    expect(res.data).toEqual({ id: expect.any(String), threadId: res.data.id, labelIds: ['SENT'] });

    const mine = sandbox.control.getMessage(owner, res.data.id!);
    expect(mine).toMatchObject({ rfcMessageId: '<plan-1@crm.test>', bcc: ['hidden@example.com'], labelIds: ['SENT'] });
    const [copy] = sandbox.control.listMessages(friend);
    expect(copy).toMatchObject({ rfcMessageId: '<plan-1@crm.test>', labelIds: ['INBOX', 'UNREAD'], bcc: [] });
    expect(Buffer.from(sandbox.control.getMessage(friend, copy!.id).raw, 'base64url').toString()).not.toMatch(/^Bcc:/im);
    expect(sandbox.control.counters(owner)).toMatchObject({ sendsAccepted: 1, calls: { 'messages.send': 1 } });
  });

  it('puts a reply in the thread of its parent when threadId, References and subject agree', async () => {
    const inbound = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Quote', text: 'Price?' });
    // Hand-written, without Message-ID or Date: Gmail fills both in.
    const reply = Buffer.from(`To: client@example.com\r\nSubject: Re: Quote\r\nIn-Reply-To: ${inbound.rfcMessageId}\r\nReferences: ${inbound.rfcMessageId}\r\n\r\n100\r\n`);
    const res = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: reply.toString('base64url'), threadId: inbound.threadId } });
    expect(res.data.threadId).toBe(inbound.threadId);

    const thread = await gmail.users.threads.get({ userId: 'me', id: inbound.threadId, format: 'minimal' });
    expect(thread.data.messages!.map((m) => m.id)).toEqual([inbound.messageId, res.data.id]);
    const generated = sandbox.control.getMessage(owner, res.data.id!).rfcMessageId;
    expect(generated).toMatch(/^<.+@mail\.gmail\.com>$/);
  });

  it('starts a new thread when the subject changed, even with threadId and References', async () => {
    const inbound = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Invoice', text: 'Attached' });
    const raw = await mime({ from: owner, to: 'client@example.com', subject: 'Something else', text: 'x', inReplyTo: inbound.rfcMessageId, references: [inbound.rfcMessageId] });
    const res = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url'), threadId: inbound.threadId } });
    expect(res.data.threadId).not.toBe(inbound.threadId);
    expect(res.data.threadId).toBe(res.data.id);
  });

  it('threads an incoming reply by References in the recipient mailbox (thread ids differ per mailbox)', async () => {
    const raw = await mime({ from: owner, to: friend, subject: 'Lunch', text: 'Noon?' });
    const sent = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url') } });
    const rfcId = sandbox.control.getMessage(owner, sent.data.id!).rfcMessageId;
    const answer = await sandbox.control.sendAsOwner(friend, { replyToProviderMessageId: sandbox.control.listMessages(friend)[0]!.id, text: 'Yes' });
    const inOwner = answer.copies.find((c) => c.address === owner)!;
    expect(inOwner.threadId).toBe(sent.data.threadId);
    expect(answer.threadId).not.toBe(sent.data.threadId);
    expect(sandbox.control.getMessage(owner, inOwner.messageId)).toMatchObject({ subject: 'Re: Lunch', inReplyTo: [rfcId.slice(1, -1)] });
  });

  it('accepts the multipart upload form of messages.send', async () => {
    const raw = await mime({ from: owner, to: friend, subject: 'Upload', text: 'via /upload' });
    const res = await gmail.users.messages.send(
      { userId: 'me', requestBody: {}, media: { mimeType: 'message/rfc822', body: Readable.from(raw) } },
      { rootUrl: sandbox.url },
    );
    expect(sandbox.control.getMessage(owner, res.data.id!)).toMatchObject({ subject: 'Upload', labelIds: ['SENT'] });
  });

  it('rejects a message without recipients and a send without raw', async () => {
    const noTo = await mime({ from: owner, subject: 'Nobody', text: 'x' });
    expect(await errorOf(gmail.users.messages.send({ userId: 'me', requestBody: { raw: noTo.toString('base64url') } }))).toMatchObject({ status: 400, reason: 'invalidArgument', message: 'Recipient address required' });
    expect(await errorOf(gmail.users.messages.send({ userId: 'me', requestBody: {} }))).toMatchObject({ status: 400, reason: 'invalidArgument' });
  });

  it('lets the owner reply and forward from the mail client with Gmail threading', async () => {
    const inbound = await sandbox.control.deliver(owner, { from: 'client@example.com', subject: 'Contract', text: 'Signed copy', attachments: [{ filename: 'c.pdf', content: Buffer.from('pdf') }] });
    const reply = await sandbox.control.sendAsOwner(owner, { replyToProviderMessageId: inbound.messageId, text: 'Thanks' });
    const forward = await sandbox.control.sendAsOwner(owner, { forwardOf: inbound.messageId, to: 'lawyer@example.com', text: 'FYI' });
    expect(sandbox.control.getMessage(owner, reply.messageId)).toMatchObject({ subject: 'Re: Contract', to: ['client@example.com'], labelIds: ['SENT'], threadId: inbound.threadId });
    const fwd = sandbox.control.getMessage(owner, forward.messageId);
    expect(fwd).toMatchObject({ subject: 'Fwd: Contract', to: ['lawyer@example.com'], threadId: inbound.threadId });
    expect(fwd.text).toContain('---------- Forwarded message ---------');
    const full = await gmail.users.messages.get({ userId: 'me', id: forward.messageId });
    expect(full.data.payload!.parts!.map((p) => p.filename)).toContain('c.pdf');
  });

  it('delivers mail sent to oneself once, as SENT and INBOX', async () => {
    const raw = await mime({ from: owner, to: owner, subject: 'Note to self', text: 'x' });
    const res = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url') } });
    expect(res.data.labelIds).toEqual(['SENT', 'INBOX']);
    expect(sandbox.control.listMessages(owner).filter((m) => m.subject === 'Note to self')).toHaveLength(1);
  });

  it('imports and inserts messages into one mailbox only, with the given labels and dates', async () => {
    const raw = await mime({ from: 'old@example.com', to: owner, subject: 'Archive', text: 'from 2019', date: new Date('2019-06-01T10:00:00Z') });
    const imported = await gmail.users.messages.import({ userId: 'me', requestBody: { raw: raw.toString('base64url'), labelIds: ['INBOX'] } });
    expect(sandbox.control.getMessage(owner, imported.data.id!)).toMatchObject({ labelIds: ['INBOX'], internalDate: String(Date.parse('2019-06-01T10:00:00Z')) });
    const inserted = await gmail.users.messages.insert({ userId: 'me', requestBody: { raw: raw.toString('base64url'), labelIds: ['STARRED'] } });
    expect(Number(sandbox.control.getMessage(owner, inserted.data.id!).internalDate)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(sandbox.control.counters(owner).calls).toMatchObject({ 'messages.import': 1, 'messages.insert': 1 });
  });
});
