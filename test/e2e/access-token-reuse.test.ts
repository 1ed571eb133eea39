import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';

/**
 * An access token is redeemed once and reused by the mailbox's later activities until it nears expiry,
 * instead of a refresh-token redemption in every activity. The sandbox counts redemptions at its token
 * endpoint; each delivered message is decided by a sync activity of its own.
 */
describe.each([
  ['gmail' as const, () => startGmailStack()],
  ['outlook' as const, () => startOutlookStack()],
])('%s access tokens', (provider, start) => {
  let stack: GmailStack | OutlookStack;
  beforeAll(async () => {
    stack = await start();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('are reused across activities instead of refreshed in each', async () => {
    const s = await setupMailbox(stack as GmailStack, provider, { tag: `reuse-${provider}` });
    // The API's identity lookup at connect and the worker's first activity each redeem once.
    const afterConnect = (await s.sandbox.counters()).tokenRefreshes;
    for (const n of [1, 2, 3]) {
      const delivered: { messageId?: string; immutableId?: string } = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: `Note ${n}`, text: `note ${n}` });
      // Decisions name Gmail messages by id, Outlook ones by immutable id.
      expect(await decisionsFor(stack, s.connectionId, (delivered.immutableId ?? delivered.messageId)!)).toHaveLength(1);
    }
    expect((await s.sandbox.counters()).tokenRefreshes).toBe(afterConnect);
  });
});

describe('gmail access tokens ended early by the provider', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a reused token the provider ends early is replaced by a fresh redemption, not read as a dead grant', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'early-gmail' });
    const first = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Before', text: 'before' });
    expect(await decisionsFor(stack, s.connectionId, first.messageId!)).toHaveLength(1);
    const before = (await s.sandbox.counters()).tokenRefreshes;
    // The grant still works; only the access tokens issued so far are gone (a session reset at the provider).
    stack.sandbox.control.expireAccessTokens(s.owner);
    const after: { messageId?: string } = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'After', text: 'after' });
    expect(await decisionsFor(stack, s.connectionId, after.messageId!)).toMatchObject([{ outcome: 'synced' }]);
    expect((await s.sandbox.counters()).tokenRefreshes).toBe(before + 1);
    const view = await stack.api('GET', `/v1/connections/${s.connectionId}`);
    expect(view.body.status).toBe('active');
    const reauth = await stack.api('GET', '/v1/events?type=connection.needs_reauth');
    expect(reauth.body.events.map((e: { connectionId: string }) => e.connectionId)).not.toContain(s.connectionId);
  });
});
