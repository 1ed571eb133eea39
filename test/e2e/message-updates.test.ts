import { sql } from 'kysely';
import { sandboxClients } from '@mailsync/provider-sandbox/gmail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import type { Stack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/** The message as the CRM reads it in its conversation, once `ready` holds for it. */
async function messageWhen(stack: Stack, locationId: string, contactId: string, id: string, ready: (m: any) => boolean): Promise<any> {
  return waitFor(async () => {
    const m = (await conversationMessages(stack, locationId, contactId)).find((x) => x.id === id);
    return m && ready(m) ? m : null;
  });
}

/** The update and deletion events about a message, in feed order. */
async function updateEvents(stack: Stack, messageId: string) {
  const rows = await stack.db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('type', 'in', ['message.updated', 'message.deleted'])
    .where(sql<string>`payload->>'messageId'`, '=', messageId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ type: r.type, ...(r.payload as Record<string, unknown>) }));
}

describe('Gmail: read, trash and delete reach the CRM; the CRM marks read', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'message-updates-gmail' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('marking read, trashing and deleting for good in Gmail update the message and emit message.updated / message.deleted', async () => {
    const client = uniqueAddress('upd-client', 'client.test');
    const s = await setupMailbox(stack, 'gmail', [{ id: 'c-1', email: client }], { tag: 'upd-g1' });
    const mail = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Read me', text: 'hello' });
    const [decision] = await decisionsFor(stack, s.connectionId, mail.messageId);
    const id = decision!.messageId!;
    expect(await messageWhen(stack, s.locationId, 'c-1', id, () => true)).toMatchObject({ read: false, labels: ['INBOX', 'UNREAD'], deletedAt: null, deletion: null });

    // The owner's mail client, through googleapis with a grant of its own.
    const { gmail } = sandboxClients(stack.sandbox, (await s.sandbox.grant()).refreshToken);
    await gmail.users.messages.modify({ userId: 'me', id: mail.messageId, requestBody: { removeLabelIds: ['UNREAD'] } });
    expect(await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.read === true)).toMatchObject({ read: true, labels: ['INBOX'], deletion: null });

    await gmail.users.messages.trash({ userId: 'me', id: mail.messageId });
    const trashed = await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.deletion === 'trash');
    expect(trashed.deletedAt).toEqual(expect.any(String));
    expect(trashed.labels).toEqual(['INBOX', 'TRASH']);

    stack.sandbox.control.deleteMessage(s.owner, mail.messageId);
    await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.deletion === 'permanent');

    const base = { messageId: id, providerMessageId: mail.messageId, origin: 'mailbox' };
    expect(await updateEvents(stack, id)).toEqual([
      { type: 'message.updated', ...base, conversationId: trashed.conversationId, changed: ['read', 'labels'], read: true, labels: ['INBOX'], folder: null, deletedAt: null },
      { type: 'message.deleted', ...base, conversationId: trashed.conversationId, permanent: false, deletedAt: expect.any(String) },
      { type: 'message.deleted', ...base, conversationId: trashed.conversationId, permanent: true, deletedAt: expect.any(String) },
    ]);
  });
});
