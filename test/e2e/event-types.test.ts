import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

interface FeedEvent {
  type: string;
  connectionId: string | null;
  payload: Record<string, unknown>;
}

/** The events of one type about one connection, oldest first. */
async function eventsOf(stack: GmailStack, type: string, connectionId: string): Promise<FeedEvent[]> {
  const res = await stack.api('GET', `/v1/events?type=${type}&limit=1000`);
  expect(res.status).toBe(200);
  return (res.body.events as FeedEvent[]).filter((e) => e.connectionId === connectionId);
}

/** The events a CRM acts on: a connection's status as it changes, and a send that did not go out. */
describe('event types', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('connection.status_changed follows the connection: backing_off and back, needs_reauth, active with new credentials, disconnected', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'status' });
    await s.sandbox.injectFaults({ operation: 'history.list', count: 1, status: 429, retryAt: new Date(Date.now() + 2_000).toISOString() });
    await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'during a 429', text: 'x' });
    await waitFor(async () => (await eventsOf(stack, 'connection.status_changed', s.connectionId)).length >= 2);

    s.sandbox.revoke();
    stack.sandbox.control.expireAccessTokens(s.owner);
    await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'while revoked', text: 'x' });
    await waitFor(async () => (await eventsOf(stack, 'connection.status_changed', s.connectionId)).length >= 3);
    const renewed = await stack.api('PUT', `/v1/connections/${s.connectionId}/credentials`, { refreshToken: (await s.sandbox.grant()).refreshToken });
    expect(renewed.status).toBe(200);
    expect((await stack.api('DELETE', `/v1/connections/${s.connectionId}`)).status).toBeLessThan(300);

    const changes = (await eventsOf(stack, 'connection.status_changed', s.connectionId)).map((e) => [e.payload.previousStatus, e.payload.status, e.payload.reason]);
    expect(changes).toEqual([
      ['active', 'backing_off', null],
      ['backing_off', 'active', null],
      ['active', 'needs_reauth', expect.any(String)],
      ['needs_reauth', 'active', 'new_credentials'],
      ['active', 'disconnected', 'disconnected'],
    ]);
  });

  it('message.send_failed when the provider refuses a CRM send', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'sendfail' });
    await s.sandbox.injectFaults({ operation: 'messages.send', count: 1, status: 400 });
    const refused = await s.send({ contactId: 'c-1', subject: 'Refused', text: 'x' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('SEND_REJECTED');
    const [failed] = await waitFor(async () => {
      const events = await eventsOf(stack, 'message.send_failed', s.connectionId);
      return events.length ? events : null;
    });
    expect(failed!.payload).toMatchObject({ messageId: refused.body.error.details.messageId, reason: expect.any(String) });
    const row = await stack.db.selectFrom('messages').select(['send_status']).where('id', '=', String(failed!.payload.messageId)).executeTakeFirstOrThrow();
    expect(row.send_status).toBe('failed');
  });

  it('the Web UI shows the mailbox: its workflow keeps current details (status, locations, last sync, next wake, counters)', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'details' });
    await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'hello', text: 'x' });
    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`);
    const details = await waitFor(async () => {
      const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      // Read while the mailbox sleeps: during a page the details say what it is doing and "next wake: after this".
      const text = meta.currentDetails;
      return text?.includes('1 messages seen') && !text.includes('- now:') ? text : null;
    });
    expect(details).toContain(`**gmail** ${s.owner} — **active**`);
    expect(details).toContain(`- locations: ${s.locationId}`);
    expect(details).toMatch(/- last sync: \d{4}-\d\d-\d\dT[^;]+; next wake: \d{4}-/);
    expect(details).toContain('- last error: none');
  });
});
