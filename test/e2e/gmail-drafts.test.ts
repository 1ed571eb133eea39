import type { gmail_v1 } from 'googleapis';
import { sandboxClients } from '@mailsync/provider-sandbox/gmail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

const mime = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`).toString('base64url');

/** The owner's own Gmail client (googleapis), as their mail app would use the mailbox. */
const ownerClient = (stack: GmailStack, refreshToken: string): gmail_v1.Gmail => sandboxClients(stack.sandbox, refreshToken).gmail;

async function decisionOnce(stack: GmailStack, connectionId: string, providerMessageId: string, reason: string) {
  return waitFor(async () => {
    const [decision] = await decisionsFor(stack, connectionId, providerMessageId);
    return decision?.reason === reason ? decision : null;
  });
}

describe('Gmail: drafts, spam and trash are not mail (R23)', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R23: a draft reply in a linked thread, saved three times, syncs once — as sent mail, when it is sent', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'r23draft' });
    const sent = await s.send({ contactId: 'c-1', subject: 'Your quote', text: 'Here it is.' });
    expect(sent.status).toBe(201);
    const reply = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Re: Your quote', text: 'Questions', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    expect(await decisionsFor(stack, s.connectionId, reply.messageId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);

    const gmail = ownerClient(stack, s.refreshToken);
    const replyRfcId = stack.sandbox.control.getMessage(s.owner, reply.messageId).rfcMessageId;
    const draftOf = (text: string) => ({
      message: { threadId: reply.threadId, raw: mime([`To: ${s.client}`, 'Subject: Re: Your quote', `In-Reply-To: ${replyRfcId}`, `References: ${sent.body.rfcMessageId} ${replyRfcId}`, '', text]) },
    });
    const draft = await gmail.users.drafts.create({ userId: 'me', requestBody: draftOf('Answers, first try') });
    const saves = [draft.data.message!.id!];
    for (const text of ['Answers, second try', 'Answers, final']) {
      const saved = await gmail.users.drafts.update({ userId: 'me', id: draft.data.id!, requestBody: draftOf(text) });
      saves.push(saved.data.message!.id!);
    }
    const last = saves[saves.length - 1]!;
    expect(await decisionOnce(stack, s.connectionId, last, 'draft')).toMatchObject({ ruleId: 'R23', outcome: 'skipped', messageId: null });
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m: { subject: string; direction: string; text?: string }) => m.subject)).toEqual(['Your quote', 'Re: Your quote']);

    const delivered = await gmail.users.drafts.send({ userId: 'me', requestBody: { id: draft.data.id! } });
    expect(delivered.data.id).toBe(last);
    expect(await decisionOnce(stack, s.connectionId, last, 'linked_thread_sent')).toMatchObject({ ruleId: 'R4', outcome: 'synced' });
    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    expect(messages.map((m: { subject: string; direction: string; text?: string }) => [m.subject, m.direction, m.text?.trim()])).toEqual([
      ['Your quote', 'outbound', 'Here it is.'],
      ['Re: Your quote', 'inbound', 'Questions'],
      ['Re: Your quote', 'outbound', 'Answers, final'],
    ]);
    const rows = await stack.db.selectFrom('messages').select('provider_message_id').where('account_id', '=', s.accountId).where('provider_message_id', 'in', saves).execute();
    expect(rows.map((r) => r.provider_message_id)).toEqual([last]);
  });

  it('R23: mail from an assigned contact filed in Spam does not sync; moved back to the inbox, it does', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'r23spam' });
    const gmail = ownerClient(stack, s.refreshToken);
    const raw = mime([`From: ${s.client}`, `To: ${s.owner}`, 'Subject: Cheap offer', `Date: ${new Date().toUTCString()}`, 'Message-ID: <offer-1@client.test>', '', 'Really not spam']);
    const filed = await gmail.users.messages.import({ userId: 'me', internalDateSource: 'receivedTime', requestBody: { raw, labelIds: ['SPAM', 'UNREAD'] } });
    const id = filed.data.id!;
    expect(await decisionOnce(stack, s.connectionId, id, 'junk')).toMatchObject({ ruleId: 'R23', outcome: 'skipped' });
    expect(await conversationMessages(stack, s.locationId, 'c-1')).toEqual([]);

    await gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['INBOX'], removeLabelIds: ['SPAM'] } });
    expect(await decisionOnce(stack, s.connectionId, id, 'assigned_contact')).toMatchObject({ ruleId: 'R2', outcome: 'synced' });
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m: { subject: string; direction: string; text?: string }) => m.subject)).toEqual(['Cheap offer']);
  });

  it('R23: mail in Trash does not sync', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'r23trash' });
    const gmail = ownerClient(stack, s.refreshToken);
    const raw = mime([`From: ${s.client}`, `To: ${s.owner}`, 'Subject: Old news', `Date: ${new Date().toUTCString()}`, '', 'bin it']);
    const filed = await gmail.users.messages.import({ userId: 'me', internalDateSource: 'receivedTime', requestBody: { raw, labelIds: ['TRASH'] } });
    expect(await decisionOnce(stack, s.connectionId, filed.data.id!, 'junk')).toMatchObject({ ruleId: 'R23', outcome: 'skipped' });
    expect(await conversationMessages(stack, s.locationId, 'c-1')).toEqual([]);
  });
});
