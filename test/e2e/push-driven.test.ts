import { GRAPH_MAIL_SCOPES, sandboxGraphClient, sandboxMsalApp } from '@mailsync/provider-sandbox/microsoft';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { PUSH_AUDIENCE, startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
import { startPushRelay, type PushRelay } from '../helpers/push-relay';
import { waitFor } from '../helpers/wait';

/** Far beyond any wait in these tests: whatever syncs here was brought in by a push. */
const HOURS = 6 * 3_600_000;

const storedIds = async (stack: GmailStack | OutlookStack, accountId: string) =>
  (await stack.db.selectFrom('messages').select('provider_message_id').where('account_id', '=', accountId).execute()).map((r) => r.provider_message_id).sort();

describe('Gmail: Pub/Sub push alone drives sync', () => {
  let stack: GmailStack;
  let relay: PushRelay;
  beforeAll(async () => {
    stack = await startGmailStack({ timers: { fallbackPollMs: HOURS } });
    relay = await startPushRelay(`${stack.apiUrl}/webhooks/gmail`);
    stack.sandbox.control.setPushEndpoint(relay.url, PUSH_AUDIENCE);
  });
  afterAll(async () => {
    await stack.close();
    await relay.close();
  });

  it('a push brings each message in with the fallback poll hours away; the same pushes again, newest first, change nothing', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'push' });
    const delivered = [];
    for (let i = 0; i < 3; i++) {
      const m = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: `Pushed ${i}`, text: 'hi' });
      expect(await decisionsFor(stack, s.connectionId, m.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
      delivered.push(m.messageId);
    }
    const pushes = relay.recorded.slice();
    expect(pushes.length).toBeGreaterThanOrEqual(3);

    const statuses = await relay.replay([...pushes].reverse().flatMap((p) => [p, p, p]));
    expect(new Set(statuses)).toEqual(new Set([202]));
    await stack.sandbox.control.pushesSettled();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await storedIds(stack, s.accountId)).toEqual([...delivered].sort());
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m: { subject: string; text?: string }) => m.subject)).toEqual(['Pushed 0', 'Pushed 1', 'Pushed 2']);
  });
});

describe('Gmail: when pushes stop, the fallback poll recovers', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ timers: { fallbackPollMs: 3_000 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('with no push reaching mailsync, a message still syncs on the next poll', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'nopush' });
    stack.sandbox.control.setPushEndpoint(null);
    await stack.sandbox.control.pushesSettled();
    const before = stack.sandbox.control.counters(s.owner).pushesDelivered;
    const m = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Unpushed', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, m.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    expect(await storedIds(stack, s.accountId)).toEqual([m.messageId]);
    expect(stack.sandbox.control.counters(s.owner).pushesDelivered).toBe(before);
    expect(stack.sandbox.control.counters(s.owner).calls['history.list']).toBeGreaterThan(0);
  });
});

describe('Outlook: Graph change notifications alone drive sync', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ timers: { fallbackPollMs: HOURS } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a notification brings each reply in with the fallback poll hours away', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'opush' });
    const { owner, client } = s;
    const sent = await s.send({ contactId: 'c-1', subject: 'Quote', text: 'here' });
    expect(sent.status).toBe(201);
    const replies: { immutableId: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const reply = await s.sandbox.deliver({ from: client, to: [owner], subject: 'Re: Quote', text: `reply ${i}`, inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId] });
      replies.push(reply);
      await waitFor(async () => (await conversationMessages(stack, s.locationId, 'c-1')).length === 2 + i);
    }
    const subs = await stack.graph.control.subscriptions(owner);
    expect(subs.reduce((n, sub) => n + sub.notificationsDelivered, 0)).toBeGreaterThanOrEqual(2);
    expect((await conversationMessages(stack, s.locationId, 'c-1')).map((m: { subject: string; text?: string }) => m.text?.trim())).toEqual(['here', 'reply 0', 'reply 1']);

    // The owner reads a reply in Outlook: the subscription's `updated` notification alone brings the change in.
    const { refreshToken } = await stack.sandboxMailbox(owner).grant();
    const msal = sandboxMsalApp(stack.graph);
    const outlook = sandboxGraphClient(stack.graph, async () => (await msal.acquireTokenByRefreshToken({ refreshToken, scopes: GRAPH_MAIL_SCOPES }))!.accessToken);
    await outlook.api(`/me/messages/${replies[0]!.immutableId}`).patch({ isRead: true });
    const read = await waitFor(async () => {
      const row = await stack.db.selectFrom('messages').select(['read', 'folder']).where('provider_message_id', '=', replies[0]!.immutableId).executeTakeFirst();
      return row?.read === true ? row : null;
    });
    expect(read).toEqual({ read: true, folder: 'inbox' });
  });
});
