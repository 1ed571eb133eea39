import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../src/workflows/definitions';
import { conversationMessages } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

describe('drift audit', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ timers: { fallbackPollMs: 1_000, driftAuditMs: 1_500 }, recordAs: 'gmail-drift' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('finds a message the provider holds but the CRM lost, stores it again and records the drift', async () => {
    const { owner, client, connectionId, accountId, sandbox } = await setupMailbox(stack, 'gmail', { tag: 'drift' });
    const delivered = [];
    for (let i = 0; i < 3; i++) delivered.push(await sandbox.deliver({ from: client, to: [owner], subject: `note ${i}`, text: String(i) }));
    await waitFor(async () => (await conversationMessages(stack, 'loc-drift', 'c-1')).length === 3);

    // A lost write (say, a database restored from an older backup): the message and its decision are gone.
    const lost = delivered[1]!.messageId;
    await stack.db.deleteFrom('sync_decisions').where('provider_message_id', '=', lost).execute();
    await stack.db.deleteFrom('messages').where('provider_message_id', '=', lost).execute();
    expect((await conversationMessages(stack, 'loc-drift', 'c-1')).map((m) => m.subject)).toEqual(['note 0', 'note 2']);

    const view = await waitFor(async () => {
      const res = await stack.api('GET', `/v1/connections/${connectionId}`);
      return res.body.sync.driftFound === 1 ? res.body : null;
    }, { timeoutMs: 30_000 });
    expect(view.sync.driftFound).toBe(1);
    expect((await conversationMessages(stack, 'loc-drift', 'c-1')).map((m) => m.subject)).toEqual(['note 0', 'note 1', 'note 2']);
    const state = await stack.client.workflow.getHandle(`mailbox/gmail/${accountId}`).query(stateQuery);
    expect(state.driftFound).toBe(1);
    expect(state.lastAudit).toMatchObject({ healed: expect.any(Number) });
    const events = await stack.api('GET', '/v1/events?type=sync.drift_healed');
    expect(events.body.events.map((e: any) => e.payload)).toEqual([{ accountId, healed: 1, providerMessageIds: [lost] }]);
  }, 60_000);
});
