import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';

/** Idempotency-Key on CRM sends, per draft-ietf-httpapi-idempotency-key-header. */
describe('Idempotency-Key', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R22: five concurrent requests with one key make one send, and all five get its response', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'idem-race' });
    const body = { contactId: 'c-1', subject: 'Once only', text: 'one send' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => s.send(body, 'race-1')));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
    expect(answers[0]!.body).toMatchObject({ subject: 'Once only', sendStatus: 'sent' });
    expect(s.sandbox.sent().filter((m) => m.subject === 'Once only')).toHaveLength(1);
    expect(s.sandbox.counters().sendsAccepted).toBe(1);
    const rows = await stack.db.selectFrom('messages').select('id').where('connection_id', '=', s.connectionId).where('source', '=', 'crm').execute();
    expect(rows.map((r) => r.id)).toEqual([answers[0]!.body.id]);
  });

  it('compares bodies as canonical JSON: the same body in another key order gets the first response; another body is refused', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'idem-order' });
    const first = await s.send({ contactId: 'c-1', subject: 'Quote', text: 'Here', cc: ['a@cc.test', 'b@cc.test'] }, 'order-1');
    expect(first.status).toBe(201);
    const reordered = await stack.app.inject({
      method: 'POST',
      url: `/v1/connections/${s.connectionId}/messages`,
      headers: { authorization: 'Bearer test-api-key-0123456789abcdef', 'idempotency-key': 'order-1', 'content-type': 'application/json' },
      payload: '{"cc":["a@cc.test","b@cc.test"],"text":"Here","subject":"Quote","contactId":"c-1"}',
    });
    expect(reordered.statusCode).toBe(201);
    expect(reordered.headers['idempotent-replayed']).toBe('true');
    expect(reordered.json()).toEqual(first.body);
    // Array order is meaning: another cc order is another request.
    const other = await s.send({ contactId: 'c-1', subject: 'Quote', text: 'Here', cc: ['b@cc.test', 'a@cc.test'] }, 'order-1');
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(s.sandbox.counters().sendsAccepted).toBe(1);
  });

  it('gives a refusal after the key was claimed to every retry with the key', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'idem-refused' });
    expect((await stack.api('POST', '/v1/connections', { locationId: s.locationId, userId: s.userId, provider: 'gmail', refreshToken: s.refreshToken, dailySendLimit: 1 })).status).toBe(200);
    expect((await s.send({ contactId: 'c-1', subject: 'First', text: 'x' }, 'limit-1')).status).toBe(201);
    const refused = await s.send({ contactId: 'c-1', subject: 'Second', text: 'x' }, 'limit-2');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('SEND_LIMIT_REACHED');
    const again = await s.send({ contactId: 'c-1', subject: 'Second', text: 'x' }, 'limit-2');
    expect(again).toEqual(refused);
    expect(s.sandbox.counters().sendsAccepted).toBe(1);
  });

  it('keeps a key 24 hours: past that, the same key starts a new send', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'idem-expiry' });
    const body = { contactId: 'c-1', subject: 'Daily note', text: 'x' };
    const first = await s.send(body, 'daily');
    const within = await s.send(body, 'daily');
    expect(within.body.id).toBe(first.body.id);
    await stack.db.updateTable('idempotency_keys').set({ created_at: sql`now() - interval '24 hours 1 minute'` as never }).where('scope', '=', s.connectionId).where('key', '=', 'daily').execute();
    const later = await s.send(body, 'daily');
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(s.sandbox.counters().sendsAccepted).toBe(2);
    const keys = await stack.db.selectFrom('idempotency_keys').select('message_id').where('scope', '=', s.connectionId).execute();
    expect(keys).toEqual([{ message_id: later.body.id }]);
  });
});
