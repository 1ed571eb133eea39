import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxGmailClients, startGmailSandbox, type GmailSandbox } from '../../src/sandbox/google';

type GaxiosFailure = { message: string; response?: { status: number; data: { error: { errors: { reason: string }[] } } } };
const failure = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('expected a failure')), (err: unknown) => err as GaxiosFailure);

async function mime(fields: { from: string; to?: string; cc?: string; bcc?: string; subject: string; text: string; messageId?: string; inReplyTo?: string; references?: string[] }): Promise<Buffer> {
  const node = new MailComposer(fields).compile();
  node.keepBcc = true;
  return node.build();
}

describe('Gmail sandbox: sending through googleapis', () => {
  let sandbox: GmailSandbox;

  beforeAll(async () => {
    sandbox = await startGmailSandbox({ dailySendLimit: 3 });
  });
  afterAll(() => sandbox.close());

  const client = (address: string) => sandboxGmailClients(sandbox, sandbox.control.createAccount(address)).gmail;

  it('sends raw MIME: SENT label, the given Message-ID kept, a copy delivered to a sandbox recipient without Bcc', async () => {
    const gmail = client('sender@gmail.test');
    sandbox.control.createAccount('recipient@gmail.test');
    const raw = await mime({ from: 'sender@gmail.test', to: 'recipient@gmail.test', bcc: 'hidden@crm.test', subject: 'Hello', text: 'hi', messageId: '<crm-1@crm.test>' });
    const sent = (await gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url') } })).data;
    expect(sent).toEqual({ id: sent.id, threadId: sent.id, labelIds: ['SENT'] });

    const own = sandbox.control.getMessage('sender@gmail.test', sent.id!);
    expect(own).toMatchObject({ rfcMessageId: '<crm-1@crm.test>', bcc: ['hidden@crm.test'], labelIds: ['SENT'] });
    const [copy] = sandbox.control.listMessages('recipient@gmail.test', { label: 'INBOX' });
    expect(copy).toMatchObject({ rfcMessageId: '<crm-1@crm.test>', subject: 'Hello', bcc: [], labelIds: ['UNREAD', 'CATEGORY_PERSONAL', 'INBOX'] });
    expect(sandbox.control.getRaw('recipient@gmail.test', copy!.id).toString()).not.toMatch(/^Bcc:/im);
    expect(sandbox.control.counters('sender@gmail.test')).toMatchObject({ sendsAccepted: 1, unitsUsed: 100, calls: { 'messages.send': 1 } });
  });

  it('puts a reply with threadId, In-Reply-To and the same subject into the thread, on both sides', async () => {
    const gmail = client('rep@gmail.test');
    sandbox.control.createAccount('them@gmail.test');
    const first = await sandbox.control.sendAsOwner('them@gmail.test', { to: 'rep@gmail.test', subject: 'Proposal', text: 'first' });
    const inbound = sandbox.control.listMessages('rep@gmail.test')[0]!;
    const raw = await mime({ from: 'rep@gmail.test', to: 'them@gmail.test', subject: 'Re: Proposal', text: 'reply', inReplyTo: first.rfcMessageId, references: [first.rfcMessageId] });
    const sent = (await gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url'), threadId: inbound.threadId } })).data;
    expect(sent.threadId).toBe(inbound.threadId);
    const theirs = sandbox.control.listMessages('them@gmail.test', { label: 'INBOX' })[0]!;
    expect(theirs.threadId).toBe(first.threadId);

    const renamed = await mime({ from: 'rep@gmail.test', to: 'them@gmail.test', subject: 'Something else', text: 'x', inReplyTo: first.rfcMessageId });
    const split = (await gmail.users.messages.send({ userId: 'me', requestBody: { raw: renamed.toString('base64url'), threadId: inbound.threadId } })).data;
    expect(split.threadId).toBe(split.id);
  });

  it('refuses an unknown threadId and a message without recipients with 400', async () => {
    const gmail = client('bad@gmail.test');
    const raw = await mime({ from: 'bad@gmail.test', to: 'x@y.test', subject: 's', text: 't' });
    const thread = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: raw.toString('base64url'), threadId: 'abcdef0123456789' } }));
    expect([thread.response?.status, thread.message]).toEqual([400, 'Invalid thread_id value']);
    const empty = await mime({ from: 'bad@gmail.test', subject: 's', text: 't' });
    const none = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: empty.toString('base64url') } }));
    expect([none.response?.status, none.message]).toEqual([400, 'Recipient address required']);
  });

  it('accepts the multipart upload form when rootUrl is given per call', async () => {
    const gmail = client('upload@gmail.test');
    const raw = await mime({ from: 'upload@gmail.test', to: 'x@y.test', subject: 'Uploaded', text: 'via media' });
    const sent = (await gmail.users.messages.send({ userId: 'me', requestBody: {}, media: { mimeType: 'message/rfc822', body: raw.toString('utf8') } }, { rootUrl: sandbox.url })).data;
    expect(sandbox.control.getMessage('upload@gmail.test', sent.id!).subject).toBe('Uploaded');
  });

  it('mail-client reply and forward: Re:/Fwd: subjects, RFC references, same thread, attachments forwarded', async () => {
    sandbox.control.createAccount('owner@gmail.test');
    const inbound = await sandbox.control.deliver('owner@gmail.test', {
      from: 'pat@client.test', subject: 'Invoice', text: 'see pdf', attachments: [{ filename: 'inv.pdf', contentType: 'application/pdf', content: Buffer.from('PDF') }],
    });
    const reply = await sandbox.control.sendAsOwner('owner@gmail.test', { replyToProviderMessageId: inbound.messageId, text: 'thanks' });
    expect(reply.threadId).toBe(inbound.threadId);
    expect(sandbox.control.getMessage('owner@gmail.test', reply.messageId)).toMatchObject({ subject: 'Re: Invoice', to: ['pat@client.test'], inReplyTo: [inbound.rfcMessageId], references: [inbound.rfcMessageId], labelIds: ['SENT'] });
    const forward = await sandbox.control.sendAsOwner('owner@gmail.test', { forwardOf: inbound.messageId, to: 'boss@corp.test', text: 'fyi' });
    expect(sandbox.control.getMessage('owner@gmail.test', forward.messageId)).toMatchObject({ subject: 'Fwd: Invoice', attachments: [{ filename: 'inv.pdf', size: 3 }] });
  });

  it('stops sends at the daily limit with 429 and a "Retry after … (Mail sending)" message', async () => {
    const gmail = client('limit@gmail.test');
    const send = async (n: number) => gmail.users.messages.send({ userId: 'me', requestBody: { raw: (await mime({ from: 'limit@gmail.test', to: 'x@y.test', subject: `n${n}`, text: 't' })).toString('base64url') } });
    for (const n of [1, 2, 3]) await send(n);
    const err = await failure(send(4));
    expect(err.response?.status).toBe(429);
    expect(err.message).toMatch(/^User-rate limit exceeded\. {2}Retry after \d{4}-\d\d-\d\dT[\d:.]+Z \(Mail sending\)$/);
    expect(err.response?.data.error.errors[0]?.reason).toBe('rateLimitExceeded');
    expect(sandbox.control.counters('limit@gmail.test')).toMatchObject({ sendsAccepted: 3, rejected: { sendLimit: 1 } });
  });
});
