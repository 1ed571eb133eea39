/**
 * A sync page decides in memory against what it loaded once plus what it decided so far
 * (src/activities/sync/page-world.ts): a page holding a message, replies to it and a duplicate of it
 * must leave exactly the rows that deciding the same messages one page each leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/activities/sync/ingest';
import { ensureSyncState, upsertAccount } from '../../src/db/repositories/accounts';
import { insertConnection } from '../../src/db/repositories/connections';
import { upsertContact, upsertLocation, upsertUser } from '../../src/db/repositories/directory';
import type { AccountRow } from '../../src/db/schema';
import type { FetchedMessage } from '../../src/providers/types';
import { createTestDb, type TestDb } from '../helpers/test-db';

let testDb: TestDb;
const CLIENT = 'client@client.test';
/** After the connections below were made: nothing is decided `before_connect`. */
const AT = new Date(Date.now() + 60_000).toISOString();

interface Side {
  name: string;
  account: AccountRow;
  owner: string;
  bcc: string;
}

async function mailbox(name: string): Promise<Side> {
  const { db } = testDb;
  const owner = `${name}@owner.test`;
  const bcc = `bcc-${name}@bcc.test`;
  await upsertLocation(db, { id: `loc-${name}`, name });
  await upsertUser(db, { id: `u-${name}`, email: owner, name, locationIds: [`loc-${name}`] });
  await upsertContact(db, { locationId: `loc-${name}`, id: 'c-client', email: CLIENT, name: 'Client', assignedUserId: `u-${name}`, createdAt: '2024-01-01T00:00:00.000Z' });
  const account = await upsertAccount(db, { id: `acc-${name}`, provider: 'gmail', address: owner });
  await ensureSyncState(db, account.id);
  await insertConnection(db, { id: `conn-${name}`, locationId: `loc-${name}`, userId: `u-${name}`, accountId: account.id, provider: 'gmail', bccAddress: bcc });
  return { name, account, owner, bcc };
}

type Parsed = FetchedMessage['parsed'];
const person = (address: string, name = '') => ({ address, name });

function message(id: string, thread: string, parsed: Partial<Parsed> & Pick<Parsed, 'from' | 'to'>, opts: { inSent?: boolean } = {}): FetchedMessage {
  return {
    providerMessageId: id,
    providerThreadId: thread,
    receivedAt: AT,
    inSent: opts.inSent ?? false,
    notMail: null,
    parsed: { rfcMessageId: null, inReplyTo: null, references: [], subject: `about ${thread}`, cc: [], bcc: [], date: null, text: `body of ${id}`, html: null, attachments: [], ...parsed },
  };
}

/** A message, two replies (one in another thread, found by its references), a second copy of the message, an R18 BCC send and mail from its new contact. */
function page(side: Side): FetchedMessage[] {
  const owner = person(side.owner);
  return [
    message('p1', 't1', {
      rfcMessageId: '<first@client.test>', from: person(CLIENT, 'Client'), to: [owner],
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', size: 5, content: Buffer.from('hello') }],
    }),
    message('p2', 't1', { rfcMessageId: '<reply@other.test>', from: person('other@other.test'), to: [owner, person(CLIENT)], inReplyTo: '<first@client.test>', references: ['<first@client.test>'] }),
    message('p3', 't2', { rfcMessageId: '<third@other.test>', from: person('third@other.test'), to: [owner], inReplyTo: '<reply@other.test>', references: ['<first@client.test>', '<reply@other.test>'] }),
    message('p4', 't1', { rfcMessageId: '<first@client.test>', from: person(CLIENT, 'Client'), to: [owner] }),
    message('p5', 't3', { rfcMessageId: '<bcc-send@owner.test>', from: owner, to: [person('new@new.test', 'New Person')], bcc: [person(side.bcc)] }, { inSent: true }),
    message('p6', 't4', { rfcMessageId: '<from-new@new.test>', from: person('new@new.test'), to: [owner] }),
  ];
}

async function decideAsOnePage(side: Side): Promise<void> {
  await testDb.db.transaction().execute((trx) => ingest(trx, side.account, page(side)));
}

async function decideOneByOne(side: Side): Promise<void> {
  for (const m of page(side)) await testDb.db.transaction().execute((trx) => ingest(trx, side.account, [m]));
}

/** What a mailbox's sync left in Postgres, with the ids each side makes up replaced by what they name. */
async function rows(side: Side) {
  const { db } = testDb;
  const location = `loc-${side.name}`;
  const contacts = await db.selectFrom('contacts').select(['id', 'email', 'name', 'assigned_user_id']).where('location_id', '=', location).orderBy('email').execute();
  const email = (contactId: string) => contacts.find((c) => c.id === contactId)?.email;
  const conversations = await db.selectFrom('conversations').select(['id', 'contact_id', 'last_message_at']).where('location_id', '=', location).execute();
  const contactOf = (conversationId: string) => email(conversations.find((c) => c.id === conversationId)!.contact_id);
  const messages = await db.selectFrom('messages').selectAll().where('account_id', '=', side.account.id).orderBy('provider_message_id').execute();
  const pidOf = (messageId: string | null) => (messageId === null ? null : messages.find((m) => m.id === messageId)?.provider_message_id);
  const attachments = await db.selectFrom('attachments').select(['message_id', 'filename', 'size_bytes', 'content']).where('message_id', 'in', messages.length ? messages.map((m) => m.id) : ['-']).execute();
  const decisions = await db.selectFrom('sync_decisions').selectAll().where('account_id', '=', side.account.id).orderBy('provider_message_id').execute();
  const links = await db.selectFrom('thread_links').selectAll().where('account_id', '=', side.account.id).orderBy('provider_thread_id').execute();
  const enrolments = await db.selectFrom('bcc_enrolments').select('contact_id').where('location_id', '=', location).execute();
  const events = await db.selectFrom('events').select(['type', 'payload']).where('location_id', '=', location).orderBy('id').execute();
  return {
    contacts: contacts.map((c) => ({ email: c.email, name: c.name, assignedToOwner: c.assigned_user_id === `u-${side.name}` })),
    conversations: conversations.map((c) => ({ contact: email(c.contact_id), lastMessageAt: c.last_message_at?.toISOString() })).sort((a, b) => a.contact!.localeCompare(b.contact!)),
    messages: messages.map((m) => ({
      pid: m.provider_message_id, thread: m.provider_thread_id, rfc: m.rfc_message_id, contact: contactOf(m.conversation_id), at: m.message_at.toISOString(),
      rule: m.rule_id, direction: m.direction, source: m.source, subject: m.subject,
    })),
    attachments: attachments.map((a) => ({ pid: pidOf(a.message_id), filename: a.filename, size: a.size_bytes, content: a.content?.toString() })),
    decisions: decisions.map((d) => ({ pid: d.provider_message_id, rule: d.rule_id, reason: d.reason, outcome: d.outcome, stored: pidOf(d.message_id) ?? null, notes: d.detail.notes })),
    links: links.map((l) => ({ thread: l.provider_thread_id, contact: contactOf(l.conversation_id), rule: l.rule_id, state: l.state })),
    enrolments: enrolments.map((e) => email(e.contact_id)),
    events: events.map((e) => ({ type: e.type, pid: e.payload.providerMessageId, stored: pidOf(e.payload.messageId as string), contact: contactOf(e.payload.conversationId as string) })),
  };
}

beforeAll(async () => {
  testDb = await createTestDb();
});

afterAll(async () => {
  await testDb?.drop();
});

describe('a sync page decides as its messages would one page each', () => {
  it('stores a message, its replies and one copy of it, the R18 contact and its mail, with the same rows either way', async () => {
    const batched = await mailbox('page');
    const single = await mailbox('single');
    await decideAsOnePage(batched);
    await decideOneByOne(single);

    const got = await rows(batched);
    expect(got).toEqual(await rows(single));
    expect(got.decisions.map(({ pid, reason, outcome, stored, notes }) => ({ pid, reason, outcome, stored, notes }))).toEqual([
      { pid: 'p1', reason: 'assigned_contact', outcome: 'synced', stored: 'p1', notes: [] },
      { pid: 'p2', reason: 'linked_thread', outcome: 'synced', stored: 'p2', notes: [] },
      { pid: 'p3', reason: 'linked_thread', outcome: 'synced', stored: 'p3', notes: [{ ruleId: 'R21', reason: 'matched_by_references' }] },
      // Another copy of p1 (same Message-ID): it follows the thread, and the location keeps the one it has.
      { pid: 'p4', reason: 'linked_thread', outcome: 'synced', stored: null, notes: [] },
      { pid: 'p5', reason: 'bcc_address_copy', outcome: 'synced', stored: 'p5', notes: [] },
      { pid: 'p6', reason: 'assigned_contact', outcome: 'synced', stored: 'p6', notes: [] },
    ]);
    // A reply received in the same instant as its parent sorts after it, in the page as one by one.
    expect(got.messages.map((m) => [m.pid, m.contact, m.at])).toEqual([
      ['p1', CLIENT, AT],
      ['p2', CLIENT, new Date(Date.parse(AT) + 1).toISOString()],
      ['p3', CLIENT, new Date(Date.parse(AT) + 2).toISOString()],
      ['p5', 'new@new.test', AT],
      ['p6', 'new@new.test', AT],
    ]);
    expect(got.contacts).toEqual([
      { email: CLIENT, name: 'Client', assignedToOwner: true },
      { email: 'new@new.test', name: 'New Person', assignedToOwner: true },
    ]);
    expect(got.conversations).toEqual([
      { contact: CLIENT, lastMessageAt: new Date(Date.parse(AT) + 2).toISOString() },
      { contact: 'new@new.test', lastMessageAt: AT },
    ]);
    expect(got.links.map((l) => [l.thread, l.contact])).toEqual([['t1', CLIENT], ['t2', CLIENT], ['t3', 'new@new.test'], ['t4', 'new@new.test']]);
    expect(got.enrolments).toEqual(['new@new.test']);
    expect(got.attachments).toEqual([{ pid: 'p1', filename: 'a.txt', size: 5, content: 'hello' }]);
    expect(got.events.map((e) => [e.type, e.pid, e.stored])).toEqual([
      ['message.synced', 'p1', 'p1'],
      ['message.synced', 'p2', 'p2'],
      ['message.synced', 'p3', 'p3'],
      ['message.synced', 'p5', 'p5'],
      ['message.synced', 'p6', 'p6'],
    ]);
  });

  it('stores nothing twice when the same page is applied again', async () => {
    const batched = await mailbox('page-again');
    const single = await mailbox('single-again');
    await decideAsOnePage(batched);
    await decideOneByOne(single);
    const first = await rows(batched);

    await decideAsOnePage(batched);
    await decideOneByOne(single);
    const again = await rows(batched);
    expect(again).toEqual(await rows(single));
    expect({ ...again, decisions: [] }).toEqual({ ...first, decisions: [] });
    // Every message is now already stored where it would go: the second pass decides each a duplicate.
    expect(again.decisions.map((d) => [d.pid, d.reason, d.stored])).toEqual([
      ['p1', 'duplicate', null], ['p2', 'duplicate', null], ['p3', 'duplicate', null], ['p4', 'linked_thread', null], ['p5', 'duplicate', null], ['p6', 'duplicate', null],
    ]);
  });
});
