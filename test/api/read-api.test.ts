import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';

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
    const missing = await stack.api('GET', '/v1/messages/msg_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', details: { message: 'msg_nope' } });
  });
});
