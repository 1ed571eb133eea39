import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages } from '../helpers/crm-views';
import { startGmailStack, type GmailSandboxMailbox, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

/**
 * Holes closed here: a slow provider call could send twice; a send whose answer was lost was reported
 * failed though it went out; R16 could be exceeded in a burst; an inbound message reusing a CRM send's
 * Message-ID was dropped.
 */
describe('Gmail send fate under faults', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    // Provider calls time out at 1 s (half the attempt); an unanswered call is settled 8 s after it.
    stack = await startGmailStack({ activityTimeoutMs: 2_000, timers: { sendSettleMs: 8_000 }, recordAs: 'gmail-send-fate' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const sentCopies = async (mailbox: GmailSandboxMailbox, rfcMessageId: string) => mailbox.sent().filter((m) => m.rfcMessageId === rfcMessageId);

  /** Polls the CRM record until it settles, remembering every status the API showed on the way. */
  async function settle(locationId: string, messageId: string, seen: string[]) {
    return waitFor(
      async () => {
        const message = (await conversationMessages(stack, locationId, 'c-1')).find((m) => m.id === messageId);
        seen.push(message.sendStatus);
        return message.sendStatus === 'sent' || message.sendStatus === 'failed' ? message : null;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
  }

  it('R22: a send call slower than the activity timeout lands once, and the message ends sent', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'slow-send' });
    // The call is handled 6 s after it arrives: long after its 1 s timeout, the 2 s attempt and the
    // retry's Message-ID lookup, which finds nothing yet.
    s.sandbox.injectFaults({ operation: 'messages.send', count: 1, latencyMs: 6_000 });
    const res = await s.send({ contactId: 'c-1', subject: 'Slow', text: 'once' }, 'slow-1');
    expect([201, 202]).toContain(res.status);
    const seen = [res.body.sendStatus as string];
    const settled = await settle(s.locationId, res.body.id, seen);
    expect(settled.sendStatus).toBe('sent');
    expect(seen).not.toContain('failed');
    // The late call and any retry are one message at the provider.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await sentCopies(s.sandbox, res.body.rfcMessageId)).toHaveLength(1);
    expect(s.sandbox.counters().calls['messages.send']).toBe(1);
  }, 120_000);

  it('R22: a lost answer and failing lookups never report a delivered send as failed; it ends sent', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'lost-answer' });
    // The send is accepted, its answer comes too late; then the Message-ID lookups fail for a while.
    s.sandbox.injectFaults({ operation: 'messages.send', count: 1, delayResponseMs: 3_000 }, { operation: 'messages.list', count: 15, status: 503 });
    const res = await s.send({ contactId: 'c-1', subject: 'Lost', text: 'answer' }, 'lost-1');
    // Usually 202 unknown; under load the message can settle within the API's wait (its Sent copy synced
    // back and was matched), and then it is 201 sent. Never a failure.
    expect([res.status, res.body.sendStatus]).toSatisfy(([status, sendStatus]: [number, string]) => (status === 202 && ['unknown', 'pending'].includes(sendStatus)) || (status === 201 && sendStatus === 'sent'));
    const seen = [res.body.sendStatus as string];
    // A CRM retry with the same key while it settles gets the same message, never a second send.
    const again = await s.send({ contactId: 'c-1', subject: 'Lost', text: 'answer' }, 'lost-1');
    expect(again.body.id).toBe(res.body.id);
    seen.push(again.body.sendStatus);
    const settled = await settle(s.locationId, res.body.id, seen);
    expect(settled.sendStatus).toBe('sent');
    expect(seen).not.toContain('failed');
    expect(await sentCopies(s.sandbox, res.body.rfcMessageId)).toHaveLength(1);
  }, 150_000);

  it('R16: limit 3, 6 parallel sends and one provider refusal: exactly 3 accepted at the provider', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'r16-burst' });
    // Connecting again with a limit is idempotent and sets the account's R16 limit.
    expect((await stack.api('POST', '/v1/connections', { locationId: s.locationId, userId: s.userId, provider: 'gmail', refreshToken: s.refreshToken, dailySendLimit: 3 })).status).toBe(200);
    s.sandbox.injectFaults({ operation: 'messages.send', count: 1, status: 400 });
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => s.send({ contactId: 'c-1', subject: `Burst ${i}`, text: 'x' }, `burst-${i}`)),
    );
    const codes = burst.map((r) => (r.status < 300 ? 'sent' : r.body.error.code)).sort();
    expect(codes.filter((c) => c === 'SEND_REJECTED')).toHaveLength(1);
    // The refusal gave back its own slot only: later sends go out until exactly 3 are at the provider.
    for (let i = 0; i < 4; i++) {
      const more = await s.send({ contactId: 'c-1', subject: `More ${i}`, text: 'x' }, `more-${i}`);
      codes.push(more.status < 300 ? 'sent' : more.body.error.code);
    }
    expect(codes.filter((c) => c === 'sent')).toHaveLength(3);
    expect(codes.filter((c) => c !== 'sent' && c !== 'SEND_REJECTED').every((c) => c === 'SEND_LIMIT_REACHED')).toBe(true);
    const sent = s.sandbox.sent();
    expect(sent).toHaveLength(3);
  }, 120_000);

  it("R22: an inbound message that reuses a CRM send's Message-ID is stored as its own; the CRM record keeps its Sent copy", async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'impostor' });
    const res = await s.send({ contactId: 'c-1', subject: 'Original', text: 'from the CRM' });
    expect(res.status).toBe(201);
    const impostor = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Same id', text: 'reused id', messageId: res.body.rfcMessageId });
    const messages = await waitFor(async () => {
      const all = await conversationMessages(stack, s.locationId, 'c-1');
      return all.length === 2 ? all : null;
    });
    expect(messages.map((m) => [m.source, m.sendStatus, m.providerMessageId])).toEqual([
      ['crm', 'sent', res.body.providerMessageId],
      ['contact', null, impostor.messageId],
    ]);
  }, 60_000);
});
