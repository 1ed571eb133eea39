import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';

/** Gmail methods that send, upload or write; sync reads (history.list, messages.get, …) are not among them. */
const SEND_SIDE = /^(messages\.(send|insert|import|modify|trash|untrash|delete)|drafts\.)/;

describe('Gmail: sending from the CRM', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    // A Workspace-sized quota, so 500 sends take seconds; pacing follows it.
    stack = await startGmailStack({ recordAs: 'gmail-send', sandbox: { quotaUnitsPerMinute: 600_000 }, pacing: { unitsPerMinute: 600_000, share: 0.9 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  const setup = (tag: string) => setupMailbox(stack, 'gmail', { tag });

  it('R16: the 501st send in 24 hours is rejected before any provider call', async () => {
    const s = await setup('r16');
    const send = (n: number) => s.send({ contactId: 'c-1', subject: `Note ${n}`, text: `number ${n}` });
    for (let batch = 0; batch < 50; batch++) {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => send(batch * 10 + i)));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    }
    expect(s.sandbox.counters().sendsAccepted).toBe(500);
    const sendCalls = () => s.sandbox.counters().calls['messages.send'];
    const callsBefore = sendCalls();

    const rejected = await send(501);
    expect(rejected.status).toBe(429);
    expect(rejected.body.error.code).toBe('SEND_LIMIT_REACHED');
    expect(rejected.body.error.message).toMatch(/limit of 500 sends/);
    expect(Date.parse(rejected.body.error.details.nextAllowedAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(sendCalls()).toBe(callsBefore);
    expect(s.sandbox.counters().sendsAccepted).toBe(500);
    const view = await stack.api('GET', `/v1/connections/${s.connectionId}`);
    expect(view.body).toMatchObject({ sendsLast24h: 500, dailySendLimit: 500 });
    const failed = await stack.db.selectFrom('messages').select(['send_status', 'send_error']).where('id', '=', rejected.body.error.details.messageId).executeTakeFirstOrThrow();
    expect(failed.send_status).toBe('failed');
  }, 300_000);

  it('R17: a CRM send over Gmail’s 25 MB total is rejected naming the file and the limit, with no provider call', async () => {
    const s = await setup('r17out');
    // The mailbox's own sync may read history at any moment; what must not happen is a call that sends or writes.
    const writes = () => Object.entries(s.sandbox.counters().calls).filter(([method]) => SEND_SIDE.test(method));
    const callsBefore = writes();
    const big = Buffer.alloc(26 * 1024 * 1024, 1).toString('base64');
    const res = await s.send({
      contactId: 'c-1', subject: 'Big', text: 'see attached', attachments: [{ filename: 'video.mp4', contentType: 'video/mp4', contentBase64: big }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ATTACHMENT_REJECTED');
    expect(res.body.error.message).toContain('video.mp4');
    expect(res.body.error.message).toMatch(/25 MB/);
    expect(writes()).toEqual(callsBefore);
    expect(s.sandbox.counters().sendsAccepted).toBe(0);
    expect(await stack.db.selectFrom('messages').select('id').where('account_id', '=', s.accountId).execute()).toEqual([]);
  });

  it('R22: a retried request with the same Idempotency-Key returns the same message and sends once', async () => {
    const s = await setup('idem');
    const body = { contactId: 'c-1', subject: 'Once', text: 'only once' };
    const first = await s.send(body, 'key-1');
    const again = await s.send(body, 'key-1');
    expect(first.status).toBe(201);
    // The first response, status and body (draft-ietf-httpapi-idempotency-key-header).
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(s.sandbox.counters().sendsAccepted).toBe(1);
    const reused = await s.send({ ...body, text: 'something else' }, 'key-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(s.sandbox.counters().sendsAccepted).toBe(1);
  });

  it('replies from the CRM continue the provider thread with proper headers', async () => {
    const s = await setup('reply');
    const inbound = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Question', text: 'How much?' });
    const stored = await waitForMessage(stack, s.accountId, inbound.messageId);
    const reply = await s.send({ contactId: 'c-1', text: '42 EUR', replyToMessageId: stored });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ subject: 'Re: Question', inReplyTo: inbound.rfcMessageId, references: [inbound.rfcMessageId], threadKey: inbound.threadId });
  });
});

async function waitForMessage(stack: GmailStack, accountId: string, providerMessageId: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const row = await stack.db.selectFrom('messages').select('id').where('account_id', '=', accountId).where('provider_message_id', '=', providerMessageId).executeTakeFirst();
    if (row) return row.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`message ${providerMessageId} was not stored`);
}
