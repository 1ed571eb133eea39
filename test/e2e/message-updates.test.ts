import { sql } from 'kysely';
import { sandboxClients } from '@mailsync/provider-sandbox/gmail';
import { GRAPH_MAIL_SCOPES, sandboxGraphClient, sandboxMsalApp } from '@mailsync/provider-sandbox/microsoft';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
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
    const refused = await stack.api('PATCH', `/v1/messages/${id}`, { read: false });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'MESSAGE_NOT_IN_MAILBOX']);

    const base = { messageId: id, providerMessageId: mail.messageId, origin: 'mailbox' };
    expect(await updateEvents(stack, id)).toEqual([
      { type: 'message.updated', ...base, conversationId: trashed.conversationId, changed: ['read', 'labels'], read: true, labels: ['INBOX'], folder: null, deletedAt: null },
      { type: 'message.deleted', ...base, conversationId: trashed.conversationId, permanent: false, deletedAt: expect.any(String) },
      { type: 'message.deleted', ...base, conversationId: trashed.conversationId, permanent: true, deletedAt: expect.any(String) },
    ]);
  });

  it('PATCH read from the CRM reaches Gmail through messages.modify, and its echo in history makes no second event', async () => {
    const client = uniqueAddress('upd-client2', 'client.test');
    const s = await setupMailbox(stack, 'gmail', [{ id: 'c-1', email: client }], { tag: 'upd-g2' });
    const mail = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Mark me', text: 'hello' });
    const id = (await decisionsFor(stack, s.connectionId, mail.messageId))[0]!.messageId!;
    const { gmail } = sandboxClients(stack.sandbox, (await s.sandbox.grant()).refreshToken);
    const labelsAtGmail = async () => (await gmail.users.messages.get({ userId: 'me', id: mail.messageId, format: 'minimal' })).data.labelIds;

    const read = await stack.api('PATCH', `/v1/messages/${id}`, { read: true });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, read: true, labels: ['INBOX'], deletion: null });
    expect(await labelsAtGmail()).toEqual(['INBOX']);
    const unread = await stack.api('PATCH', `/v1/messages/${id}`, { read: false });
    expect(unread.body).toMatchObject({ id, read: false, labels: ['INBOX', 'UNREAD'] });
    expect(await labelsAtGmail()).toEqual(['INBOX', 'UNREAD']);

    // A later message synced means the history records of both changes were read before it.
    const later = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'Later', text: 'again' });
    await decisionsFor(stack, s.connectionId, later.messageId);
    const base = { type: 'message.updated', messageId: id, conversationId: read.body.conversationId, providerMessageId: mail.messageId, origin: 'crm', folder: null, deletedAt: null };
    expect(await updateEvents(stack, id)).toEqual([
      { ...base, changed: ['read', 'labels'], read: true, labels: ['INBOX'] },
      { ...base, changed: ['read', 'labels'], read: false, labels: ['INBOX', 'UNREAD'] },
    ]);
    expect((await stack.api('GET', `/v1/messages/${id}`)).body).toMatchObject({ read: false, labels: ['INBOX', 'UNREAD'] });
  });

  it('PATCH of a message that does not exist is 404 NOT_FOUND', async () => {
    const missing = await stack.api('PATCH', '/v1/messages/msg_nothing', { read: true });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

/** The owner's own Outlook: the Graph client and MSAL with a grant of its own. */
async function ownersOutlook(stack: OutlookStack, address: string) {
  const { refreshToken } = await stack.sandboxMailbox(address).grant();
  const msal = sandboxMsalApp(stack.graph);
  return sandboxGraphClient(stack.graph, async () => (await msal.acquireTokenByRefreshToken({ refreshToken, scopes: GRAPH_MAIL_SCOPES }))!.accessToken);
}

describe('Outlook: read, moves and deletion reach the CRM; the CRM marks read', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ recordAs: 'message-updates-outlook' });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** A contact's reply in a CRM-started thread (R1), synced; its CRM id and Graph id. */
  async function syncedReply(tag: string) {
    const client = uniqueAddress(`upd-${tag}`, 'client.test');
    const s = await setupMailbox(stack, 'outlook', [{ id: 'c-1', email: client }], { tag: `upd-o-${tag}` });
    const sent = await s.send({ contactId: 'c-1', subject: 'Offer', text: 'Here it is' });
    const reply = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'RE: Offer', text: 'Thanks', inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
    const [decision] = await decisionsFor(stack, s.connectionId, reply.immutableId);
    return { s, id: decision!.messageId!, graphId: reply.immutableId };
  }

  it('marking read, moving, trashing and deleting for good in Outlook update the message and emit message.updated / message.deleted', async () => {
    const { s, id, graphId } = await syncedReply('1');
    expect(await messageWhen(stack, s.locationId, 'c-1', id, () => true)).toMatchObject({ read: false, folder: 'inbox', labels: null, deletion: null });
    const outlook = await ownersOutlook(stack, s.owner);
    const moveTo = async (folder: string) => {
      const target = await outlook.api(`/me/mailFolders/${folder}`).get();
      await outlook.api(`/me/messages/${graphId}/move`).post({ destinationId: target.id });
    };

    await outlook.api(`/me/messages/${graphId}`).patch({ isRead: true });
    await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.read === true);
    await moveTo('archive');
    await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.folder === 'Archive');
    await moveTo('inbox');
    await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.folder === 'inbox');

    await outlook.api(`/me/messages/${graphId}`).delete();
    const trashed = await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.deletion === 'trash');
    expect(trashed).toMatchObject({ folder: 'deleteditems', deletedAt: expect.any(String) });
    await moveTo('inbox');
    await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.deletion === null);
    await outlook.api(`/me/messages/${graphId}/permanentDelete`).post(null);
    expect(await messageWhen(stack, s.locationId, 'c-1', id, (m) => m.deletion === 'permanent')).toMatchObject({ folder: 'inbox', deletedAt: expect.any(String) });

    const base = { messageId: id, conversationId: trashed.conversationId, providerMessageId: graphId, origin: 'mailbox' };
    const updated = (changed: string[], folder: string) => ({ type: 'message.updated', ...base, changed, read: true, labels: null, folder, deletedAt: null });
    expect(await updateEvents(stack, id)).toEqual([
      updated(['read'], 'inbox'),
      updated(['folder'], 'Archive'),
      updated(['folder'], 'inbox'),
      { type: 'message.deleted', ...base, permanent: false, deletedAt: expect.any(String) },
      updated(['folder', 'deleted'], 'inbox'),
      { type: 'message.deleted', ...base, permanent: true, deletedAt: expect.any(String) },
    ]);
  });
  it('PATCH read from the CRM reaches Outlook through PATCH isRead, and its echo in delta makes no second event', async () => {
    const { s, id, graphId } = await syncedReply('2');
    const outlook = await ownersOutlook(stack, s.owner);
    const readAtOutlook = async () => (await outlook.api(`/me/messages/${graphId}`).select('isRead').get()).isRead;

    const read = await stack.api('PATCH', `/v1/messages/${id}`, { read: true });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, read: true, folder: 'inbox', labels: null });
    expect(await readAtOutlook()).toBe(true);

    // A later reply synced means the delta that reported our change was read before it.
    const client = s.contacts[0]!.email;
    const later = await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'RE: Offer', text: 'One more thing', inReplyTo: read.body.rfcMessageId, references: [read.body.rfcMessageId] });
    await decisionsFor(stack, s.connectionId, later.immutableId);
    expect(await updateEvents(stack, id)).toEqual([
      { type: 'message.updated', messageId: id, conversationId: read.body.conversationId, providerMessageId: graphId, origin: 'crm', changed: ['read'], read: true, labels: null, folder: 'inbox', deletedAt: null },
    ]);
  });
});
