import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxAddress } from '../../src/workflows/search-attributes';
import { stateQuery } from '../../src/workflows/definitions';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

describe('connect and disconnect, API → Temporal → worker → Postgres', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'connect-disconnect' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('runs one mailbox workflow per account, findable by address, and completes it on the last disconnect', async () => {
    const { owner: address, connectionId, accountId } = await setupMailbox(stack, 'gmail', [], { tag: 'cd' });

    const view = await stack.api('GET', `/v1/connections/${connectionId}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ id: connectionId, provider: 'gmail', address, status: 'active', locationId: 'loc-cd', userId: 'user-cd' });
    expect(view.body.bccAddress).toMatch(/^bcc-[a-z0-9]+@bcc\.test\.mailsync\.local$/);
    expect(view.body.workflowId).toBe(`mailbox/gmail/${accountId}`);

    const found = await waitFor(async () => {
      const runs = [];
      for await (const wf of stack.client.workflow.list({ query: `MailboxAddress = "${address}" AND ExecutionStatus = "Running"` })) runs.push(wf);
      return runs.length === 1 ? runs : null;
    });
    expect(found[0]!.workflowId).toBe(`mailbox/gmail/${accountId}`);
    expect(found[0]!.typedSearchAttributes.get(MailboxAddress)).toBe(address);

    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${accountId}`);
    const state = await handle.query(stateQuery);
    expect(state.bindings).toEqual([{ connectionId, locationId: 'loc-cd', userId: 'user-cd', connectedAt: view.body.connectedAt }]);
    expect(state.status).toBe('active');

    const deleted = await stack.api('DELETE', `/v1/connections/${connectionId}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: connectionId, status: 'disconnected' });

    const result = await handle.result();
    expect(result.status).toBe('disconnected');
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    const row = await stack.db.selectFrom('connections').select(['status', 'disconnected_at']).where('id', '=', connectionId).executeTakeFirstOrThrow();
    expect(row.status).toBe('disconnected');
    expect(row.disconnected_at).toBeInstanceOf(Date);
    const account = await stack.db.selectFrom('accounts').select('status').where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(account.status).toBe('disconnected');
    expect(stack.sandbox.control.watchState(address).active).toBe(false);
  });
});
