import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../src/workflows/definitions';
import { decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { connectInLocation, setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

/** Holes closed here: re-auth healed one location only; a reconnect right after a disconnect was swallowed. */
describe('Gmail re-auth and reconnect races', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ recordAs: 'gmail-relink' });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R19: re-auth through one location re-activates the mailbox in every location', async () => {
    const a = await setupMailbox(stack, 'gmail', { tag: 'reauth2-a' });
    const inB = await connectInLocation(stack, a, { locationId: 'loc-reauth2-b', contacts: [{ id: 'c-1', email: a.client }] });
    expect(inB.status).toBe(201);
    const b = { connectionId: inB.body.id as string, accountId: inB.body.accountId as string };
    expect(b.accountId).toBe(a.accountId);

    a.sandbox.revoke();
    await a.sandbox.deliver({ from: a.client, to: [a.owner], subject: 'While revoked', text: 'x' });
    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${a.accountId}`);
    await waitFor(async () => (await handle.query(stateQuery)).status === 'needs_reauth', { timeoutMs: 30_000 });
    await waitFor(async () => (await stack.api('GET', `/v1/connections/${b.connectionId}`)).body.status === 'needs_reauth');

    const fresh = await a.sandbox.grant();
    expect((await stack.api('PUT', `/v1/connections/${a.connectionId}/credentials`, { refreshToken: fresh.refreshToken })).body.outcome).toBe('reauthorized');
    expect((await stack.api('GET', `/v1/connections/${b.connectionId}`)).body.status).toBe('active');
    const sent = await stack.api('POST', `/v1/connections/${b.connectionId}/messages`, { contactId: 'c-1', subject: 'From location B', text: 'after re-auth' });
    expect(sent.status).toBe(201);
    expect(sent.body.sendStatus).toBe('sent');
  }, 90_000);

  it('R15: DELETE then an immediate POST, with a slow stop call: the new connection syncs and sends', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'reconnect' });
    // The watch's stop call takes 3 s: the reconnect arrives while the workflow is finishing.
    s.sandbox.injectFaults({ operation: 'stop', count: 1, latencyMs: 3_000 });
    expect((await stack.api('DELETE', `/v1/connections/${s.connectionId}`)).status).toBe(200);
    const again = await stack.api('POST', '/v1/connections', { locationId: s.locationId, userId: s.userId, provider: 'gmail', refreshToken: s.refreshToken });
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('active');

    const inbound = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'After reconnect', text: 'hello again' });
    expect(await decisionsFor(stack, again.body.id, inbound.messageId)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    const sent = await stack.api('POST', `/v1/connections/${again.body.id}/messages`, { contactId: 'c-1', subject: 'Reconnected', text: 'x' });
    expect(sent.status).toBe(201);
    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`);
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('active');
    expect(state.bindings.map((b) => b.connectionId)).toEqual([again.body.id]);
    expect(stack.sandbox.control.watchState(s.owner).active).toBe(true);
  }, 90_000);
});
