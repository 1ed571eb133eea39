import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

/** Every item of a list, page by page; `between` runs after each page (e.g. to insert rows meanwhile). */
async function walk(stack: GmailStack, url: string, field: string, between: (page: number) => Promise<void> = async () => {}) {
  const items: any[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const sep = url.includes('?') ? '&' : '?';
    const res = await stack.api('GET', cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    items.push(...res.body[field]);
    pages.push(res.body[field].length);
    cursor = res.body.nextCursor;
    if (!cursor) break;
    await between(page);
  }
  return { items, pages };
}

describe('read API', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('lists connections by location, user and status, a page at a time in the order they were made', async () => {
    const a = await setupMailbox(stack, 'gmail', { tag: 'list-a' });
    const b = await setupMailbox(stack, 'gmail', { tag: 'list-b' });
    const c = await setupMailbox(stack, 'gmail', { tag: 'list-c' });
    const { items, pages } = await walk(stack, '/v1/connections?limit=1', 'connections', async (page) => {
      // A connection made while the CRM pages comes after every earlier one, on a later page.
      if (page === 0) await setupMailbox(stack, 'gmail', { tag: 'list-d' });
    });
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.every((n) => n === 1)).toBe(true);
    const d = await stack.db.selectFrom('connections').select('id').where('location_id', '=', 'loc-list-d').executeTakeFirstOrThrow();
    expect(ids).toEqual([a.connectionId, b.connectionId, c.connectionId, d.id]);
    expect(items[0]).toMatchObject({ id: a.connectionId, locationId: a.locationId, userId: a.userId, provider: 'gmail', address: a.owner, status: 'active', bccAddress: a.bccAddress, dailySendLimit: 500, sync: { status: 'active' } });

    const inB = await stack.api('GET', `/v1/connections?locationId=${b.locationId}`);
    expect(inB.body).toEqual({ connections: [expect.objectContaining({ id: b.connectionId })], nextCursor: null });
    const ofC = await stack.api('GET', `/v1/connections?userId=${c.userId}&status=active`);
    expect(ofC.body.connections.map((x: any) => x.id)).toEqual([c.connectionId]);

    expect((await stack.api('DELETE', `/v1/connections/${b.connectionId}`)).status).toBe(200);
    const disconnected = await stack.api('GET', '/v1/connections?status=disconnected');
    expect(disconnected.body.connections.map((x: any) => x.id)).toEqual([b.connectionId]);
    const active = await stack.api('GET', '/v1/connections?status=active');
    expect(active.body.connections.map((x: any) => x.id)).toEqual([a.connectionId, c.connectionId, d.id]);
  });

  it('refuses a cursor that is not one, or that belongs to another list', async () => {
    const bad = await stack.api('GET', '/v1/connections?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['querystring.cursor'] } });
    const other = Buffer.from(JSON.stringify(['contacts', 'k', 'i'])).toString('base64url');
    const foreign = await stack.api('GET', `/v1/connections?cursor=${other}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/another list/);
  });

  it('reads one message by id, as the send answered it', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'get-msg' });
    const sent = await s.send({ contactId: 'c-1', subject: 'Quote', text: 'Here it is', attachments: [{ filename: 'q.txt', contentType: 'text/plain', contentBase64: Buffer.from('quote').toString('base64') }] });
    expect(sent.status).toBe(201);
    const read = await stack.api('GET', `/v1/messages/${sent.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(sent.body);
    // Its attachment, downloaded by the id the message lists.
    const [attachment] = read.body.attachments;
    expect(attachment).toEqual({ id: expect.stringMatching(/^[0-9]+$/), filename: 'q.txt', contentType: 'text/plain', size: 5 });
    const download = await stack.app.inject({ method: 'GET', url: `/v1/messages/${sent.body.id}/attachments/${attachment.id}`, headers: { authorization: 'Bearer test-api-key-0123456789abcdef' } });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.toString('utf8')).toBe('quote');
    expect(download.headers['content-type']).toMatch(/^text\/plain/);
    expect(download.headers['content-disposition']).toBe("attachment; filename*=UTF-8''q.txt");
    expect((await stack.api('GET', `/v1/messages/${sent.body.id}/attachments/999999999`)).status).toBe(404);
    // Bytes left at the provider (a message over the read bound) are not served from mailsync.
    await stack.db.updateTable('attachments').set({ content: null, provider_attachment_id: 'ANGjdJ_left' }).where('id', '=', attachment.id).execute();
    const left = await stack.api('GET', `/v1/messages/${sent.body.id}/attachments/${attachment.id}`);
    expect(left.status).toBe(409);
    expect(left.body.error).toMatchObject({ code: 'ATTACHMENT_NOT_STORED', details: { providerAttachmentId: 'ANGjdJ_left' } });
    const missing = await stack.api('GET', '/v1/messages/msg_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', details: { message: 'msg_nope' } });
  });
  it('pages a location\'s contacts in id order with no repeats or gaps while contacts are added between pages', async () => {
    await stack.api('PUT', '/v1/locations/loc-page', { name: 'Paging' });
    const contacts = Array.from({ length: 25 }, (_, i) => ({ id: `c-${String(i).padStart(3, '0')}`, email: `p${i}@page.test`, name: `P ${i}` }));
    const bulk = await stack.api('PUT', '/v1/locations/loc-page/contacts', { contacts });
    expect(bulk.status).toBe(200);
    expect(bulk.body.contacts.map((c: any) => c.id)).toEqual(contacts.map((c) => c.id));
    let added = 0;
    const { items, pages } = await walk(stack, '/v1/locations/loc-page/contacts?limit=10', 'contacts', async () => {
      // One before every cursor (never seen on later pages), one after it (seen once).
      added++;
      await stack.api('PUT', `/v1/locations/loc-page/contacts/a-${added}`, { email: `a${added}@page.test` });
      await stack.api('PUT', `/v1/locations/loc-page/contacts/z-${added}`, { email: `z${added}@page.test` });
    });
    expect(pages.length).toBeGreaterThan(2);
    const ids = items.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('c-'))).toEqual(contacts.map((c) => c.id));
    expect(ids.filter((id) => id.startsWith('z-'))).toEqual(Array.from({ length: added }, (_, i) => `z-${i + 1}`));
    expect(ids.some((id) => id.startsWith('a-'))).toBe(false);
    expect([...ids].sort()).toEqual(ids);
  });

  it('bulk contact upsert: up to 1,000 a call, all or nothing', async () => {
    await stack.api('PUT', '/v1/locations/loc-bulk', { name: 'Bulk' });
    await stack.api('PUT', '/v1/users/u-bulk', { email: 'u@bulk.test', name: 'U', locationIds: ['loc-bulk'] });
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: `b-${i}`, email: `B${i}@Bulk.test`, assignedUserId: i % 2 ? 'u-bulk' : null }));
    const res = await stack.api('PUT', '/v1/locations/loc-bulk/contacts', { contacts: many });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toHaveLength(1000);
    expect(res.body.contacts[1]).toMatchObject({ locationId: 'loc-bulk', id: 'b-1', email: 'b1@bulk.test', assignedUserId: 'u-bulk' });
    const again = await stack.api('PUT', '/v1/locations/loc-bulk/contacts', { contacts: [{ id: 'b-1', email: 'new@bulk.test', name: 'Renamed', createdAt: '2020-01-01T00:00:00.000Z' }] });
    expect(again.body.contacts).toEqual([expect.objectContaining({ id: 'b-1', email: 'new@bulk.test', name: 'Renamed', assignedUserId: null, createdAt: '2020-01-01T00:00:00.000Z' })]);
    const tooMany = await stack.api('PUT', '/v1/locations/loc-bulk/contacts', { contacts: [...many, { id: 'b-x', email: 'x@bulk.test' }] });
    expect(tooMany.status).toBe(400);
    const twice = await stack.api('PUT', '/v1/locations/loc-bulk/contacts', { contacts: [{ id: 'n-1', email: 'n@bulk.test' }, { id: 'n-1', email: 'm@bulk.test' }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details.repeated).toEqual(['n-1']);
    const ghost = await stack.api('PUT', '/v1/locations/loc-bulk/contacts', { contacts: [{ id: 'n-2', email: 'n2@bulk.test' }, { id: 'n-3', email: 'n3@bulk.test', assignedUserId: 'ghost' }] });
    expect(ghost.status).toBe(422);
    expect(ghost.body.error).toMatchObject({ code: 'UNKNOWN_REFERENCE', details: { missing: ['ghost'] } });
    expect((await stack.api('GET', '/v1/locations/loc-bulk/contacts/n-2')).status).toBe(404);
    const found = await stack.api('GET', '/v1/locations/loc-bulk/contacts?email=B3@bulk.test');
    expect(found.body).toEqual({ contacts: [expect.objectContaining({ id: 'b-3' })], nextCursor: null });
  });

  it('GET and DELETE for locations, users and contacts; deleting ends live connections and erases what hangs on the row', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'del' });
    expect((await stack.api('GET', `/v1/locations/${s.locationId}`)).body).toMatchObject({ id: s.locationId, name: `Location ${s.locationId}` });
    expect((await stack.api('GET', `/v1/users/${s.userId}`)).body).toMatchObject({ id: s.userId, email: s.owner, locationIds: [s.locationId] });
    expect((await stack.api('GET', `/v1/users?locationId=${s.locationId}`)).body.users.map((u: any) => u.id)).toEqual([s.userId]);
    const locations = await walk(stack, '/v1/locations?limit=2', 'locations');
    expect(locations.items.map((l) => l.id)).toContain(s.locationId);

    // A contact goes with its conversation and messages.
    const sent = await s.send({ contactId: 'c-1', subject: 'Gone soon', text: 'x' });
    expect(sent.status).toBe(201);
    const contactGone = await stack.api('DELETE', `/v1/locations/${s.locationId}/contacts/c-1`);
    expect(contactGone.body).toEqual({ id: 'c-1', deleted: true, endedConnectionIds: [] });
    expect((await stack.api('GET', `/v1/messages/${sent.body.id}`)).status).toBe(404);
    expect((await stack.api('GET', `/v1/locations/${s.locationId}/contacts/c-1`)).status).toBe(404);
    expect((await stack.api('DELETE', `/v1/locations/${s.locationId}/contacts/c-1`)).status).toBe(404);

    // A user: the live connection ends (R15), then the user is gone.
    const userGone = await stack.api('DELETE', `/v1/users/${s.userId}`);
    expect(userGone.body).toEqual({ id: s.userId, deleted: true, endedConnectionIds: [s.connectionId] });
    expect((await stack.api('GET', `/v1/users/${s.userId}`)).status).toBe(404);
    expect((await stack.api('GET', `/v1/connections/${s.connectionId}`)).body).toMatchObject({ status: 'disconnected', userId: s.userId });
    const events = await stack.db.selectFrom('events').select('payload').where('connection_id', '=', s.connectionId).where('type', '=', 'connection.disconnected').execute();
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ cause: 'user_deleted' })]);

    // A location with another user's live connection: it ends, and the location goes with its connections.
    const t = await setupMailbox(stack, 'gmail', { tag: 'del-loc' });
    const locGone = await stack.api('DELETE', `/v1/locations/${t.locationId}`);
    expect(locGone.body).toEqual({ id: t.locationId, deleted: true, endedConnectionIds: [t.connectionId] });
    expect((await stack.api('GET', `/v1/locations/${t.locationId}`)).status).toBe(404);
    expect((await stack.api('GET', `/v1/connections/${t.connectionId}`)).status).toBe(404);
    expect((await stack.api('GET', `/v1/users/${t.userId}`)).body.locationIds).toEqual([]);
  });

  it('explains a message by its RFC Message-ID, with or without angle brackets', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'explain-rfc' });
    const inbound = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Hello', text: 'hi' });
    const rfcId = await waitFor(async () => {
      const row = await stack.db.selectFrom('messages').select('rfc_message_id').where('account_id', '=', s.accountId).where('provider_message_id', '=', inbound.messageId).executeTakeFirst();
      return row?.rfc_message_id;
    });
    for (const q of [rfcId, rfcId.replace(/^<|>$/g, '')]) {
      const res = await stack.api('GET', `/v1/connections/${s.connectionId}/decisions?rfcMessageId=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ decisions: [expect.objectContaining({ providerMessageId: inbound.messageId, ruleId: 'R2', outcome: 'synced' })], nextCursor: null });
    }
    const none = await stack.api('GET', `/v1/connections/${s.connectionId}/decisions?rfcMessageId=${encodeURIComponent('<nothing@nowhere.test>')}`);
    expect(none.body).toEqual({ decisions: [], nextCursor: null });
  });
});
