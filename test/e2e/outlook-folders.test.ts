import { connectSandboxAccount, type ConnectedAccount } from '@mailsync/provider-sandbox/microsoft';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { setupMailbox, type Mailbox } from '../helpers/mailbox';
import { startOutlookStack, type GraphSandboxMailbox, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

/** Mail folder sync: every folder of the tree but Drafts, Junk Email, Deleted Items (and Outbox); moves keep one message. */
describe('Outlook: every mail folder', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  /** The owner's own Outlook, through the real Graph client: folders and moves as the user makes them. */
  const outlookOf = (s: Mailbox<GraphSandboxMailbox>): Promise<ConnectedAccount> => connectSandboxAccount(stack.graph, s.owner);
  const immutable = { Prefer: 'IdType="ImmutableId"' };
  const makeFolder = async (o: ConnectedAccount, name: string, parent?: string): Promise<string> =>
    String((await o.client.api(parent ? `/me/mailFolders/${parent}/childFolders` : '/me/mailFolders').post({ displayName: name })).id);
  const move = (o: ConnectedAccount, id: string, destinationId: string) => o.client.api(`/me/messages/${id}/move`).headers(immutable).post({ destinationId });

  /** A CRM send (linking its thread, R1) and a function that delivers the contact's replies to it. */
  async function linkedThread(s: Mailbox<GraphSandboxMailbox>, subject: string) {
    const sent = await s.send({ contactId: 'c-1', subject, text: 'from the CRM' });
    expect(sent.status).toBe(201);
    const rfc = sent.body.rfcMessageId as string;
    return (text: string, folder?: string) =>
      s.sandbox.deliver({ from: s.client, to: [s.owner], subject: `RE: ${subject}`, text, inReplyTo: rfc, references: [rfc], ...(folder ? { folder } : {}) });
  }

  const cursorOf = async (accountId: string) =>
    (await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', accountId).executeTakeFirstOrThrow()).cursor as Record<string, string>;

  it('a reply an inbox rule files into a subfolder of the Inbox syncs into the linked conversation', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'of-rule' });
    const outlook = await outlookOf(s);
    const clients = await makeFolder(outlook, 'Clients', 'inbox');
    const reply = await linkedThread(s, 'Quote');
    const filed = await reply('filed by a rule', clients);
    expect(await decisionsFor(stack, s.connectionId, filed.immutableId)).toMatchObject([{ ruleId: 'R1', reason: 'linked_thread', outcome: 'synced' }]);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m) => [m.direction, m.text.trim()])).toEqual([
      ['outbound', 'from the CRM'],
      ['inbound', 'filed by a rule'],
    ]);
  });

  it('a folder made after connect is found by the next round, and mail filed into it syncs', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'of-new' });
    const before = await waitFor(async () => ((await cursorOf(s.accountId)).listedAt ? cursorOf(s.accountId) : null));
    const outlook = await outlookOf(s);
    const later = await makeFolder(outlook, 'Made later');
    const nested = await makeFolder(outlook, 'Nested', later);
    expect(Object.keys(before)).not.toContain(`folder:${later}`);
    const reply = await linkedThread(s, 'Later');
    const first = await reply('into the new folder', later);
    const second = await reply('into its child folder', nested);
    expect(await decisionsFor(stack, s.connectionId, first.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, second.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    expect(Object.keys(await cursorOf(s.accountId))).toEqual(expect.arrayContaining([`folder:${later}`, `folder:${nested}`]));
  });

  it('Drafts, Junk Email, Deleted Items and folders deleted into it are not read', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'of-skip' });
    const outlook = await outlookOf(s);
    const trashed = await makeFolder(outlook, 'Trashed later');
    const reply = await linkedThread(s, 'Skip');
    const junk = await reply('in junk', 'junkemail');
    const trash = await reply('in deleted items', 'deleteditems');
    await waitFor(async () => ((await cursorOf(s.accountId))[`folder:${trashed}`] ? true : null));
    await outlook.client.api(`/me/mailFolders/${trashed}`).delete();
    // The walk learns of the deletion at its next listing (as with Graph); mail filed in the folder after that is not read.
    await waitFor(async () => ((await cursorOf(s.accountId))[`folder:${trashed}`] ? null : true));
    const inDeletedFolder = await reply('in a folder under deleted items', trashed);
    const draft = await outlook.client.api('/me/messages').headers(immutable).post({ subject: 'RE: Skip', body: { contentType: 'text', content: 'a draft' }, toRecipients: [{ emailAddress: { address: s.client } }] });
    // A later reply in the Inbox: once it is decided, the round that read every folder has passed them.
    const last = await reply('in the inbox');
    expect(await decisionsFor(stack, s.connectionId, last.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    await waitFor(async () => ((await cursorOf(s.accountId)).turn === '' ? true : null));
    for (const id of [junk.immutableId, trash.immutableId, inDeletedFolder.immutableId, String(draft.id)]) {
      expect(await stack.db.selectFrom('sync_decisions').select('id').where('provider_message_id', '=', id).execute()).toEqual([]);
    }
    const folders = Object.keys(await cursorOf(s.accountId)).filter((k) => k.startsWith('folder:'));
    const ids = await Promise.all(['drafts', 'junkemail', 'deleteditems', 'outbox'].map(async (n) => `folder:${(await outlook.client.api(`/me/mailFolders/${n}`).get()).id}`));
    expect(folders.filter((k) => ids.includes(k) || k === `folder:${trashed}`)).toEqual([]);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m) => m.text.trim())).toEqual(['from the CRM', 'in the inbox']);
  });

  it('a message moved between folders is still one message: one row, one message.synced event, its folder the last one', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'of-move' });
    const outlook = await outlookOf(s);
    const done = await makeFolder(outlook, 'Done');
    const reply = await linkedThread(s, 'Move me');
    const moving = await reply('moving around');
    expect(await decisionsFor(stack, s.connectionId, moving.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    const moved = await move(outlook, moving.immutableId, done);
    expect(moved.id).toBe(moving.immutableId);
    await move(outlook, moving.immutableId, 'archive');
    await move(outlook, moving.immutableId, done);
    // Filed after the moves, in the same folder: once it is decided, that folder's delta has read past them.
    const after = await reply('after the moves', done);
    expect(await decisionsFor(stack, s.connectionId, after.immutableId)).toMatchObject([{ ruleId: 'R1', outcome: 'synced' }]);
    await waitFor(async () => ((await cursorOf(s.accountId)).turn === '' ? true : null));
    const rows = await stack.db.selectFrom('messages').select('id').where('provider_message_id', '=', moving.immutableId).execute();
    expect(rows).toHaveLength(1);
    const events = await stack.db
      .selectFrom('events')
      .select('type')
      .where(sql<string>`payload->>'providerMessageId'`, '=', moving.immutableId)
      .execute();
    // Synced once; each move the delta walk saw is a folder change of that one message, ending in Done.
    expect(events.filter((e) => e.type === 'message.synced')).toEqual([{ type: 'message.synced' }]);
    expect(events.filter((e) => e.type !== 'message.synced' && e.type !== 'message.updated')).toEqual([]);
    expect(await stack.db.selectFrom('messages').select('folder').where('provider_message_id', '=', moving.immutableId).executeTakeFirstOrThrow()).toEqual({ folder: 'Done' });
    expect(await decisionsFor(stack, s.connectionId, moving.immutableId)).toHaveLength(1);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m) => m.text.trim())).toEqual(['from the CRM', 'moving around', 'after the moves']);
  });
});
