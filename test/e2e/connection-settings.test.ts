import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../src/workflows/definitions';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

describe('PATCH /v1/connections/:id: settings after connect', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R16: a lower daily send limit set after connect is stored, reaches the workflow, and holds the next send', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'settings' });
    expect((await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.dailySendLimit).toBe(500);

    const patched = await stack.api('PATCH', `/v1/connections/${s.connectionId}`, { dailySendLimit: 2 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: s.connectionId, dailySendLimit: 2 });
    expect(await stack.db.selectFrom('accounts').select('daily_send_limit').where('id', '=', s.accountId).executeTakeFirstOrThrow()).toEqual({ daily_send_limit: 2 });
    const handle = stack.client.workflow.getHandle(`mailbox/gmail/${s.accountId}`);
    await waitFor(async () => (await handle.query(stateQuery)).sendLimit === 2);

    expect((await s.send({ contactId: 'c-1', subject: 'One', text: '1' })).status).toBe(201);
    expect((await s.send({ contactId: 'c-1', subject: 'Two', text: '2' })).status).toBe(201);
    const third = await s.send({ contactId: 'c-1', subject: 'Three', text: '3' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('SEND_LIMIT_REACHED');
    expect((await s.sandbox.sent()).length).toBe(2);
  });

  it('refuses bad settings, naming what is wrong, and unknown or disconnected connections', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'settings-bad' });
    for (const body of [{}, { dailySendLimit: 0 }, { dailySendLimit: 'many' }, { sendLimit: 5 }]) {
      const res = await stack.api('PATCH', `/v1/connections/${s.connectionId}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const unknown = await stack.api('PATCH', '/v1/connections/conn_nothing', { dailySendLimit: 5 });
    expect(unknown.status).toBe(404);
    expect((await stack.api('DELETE', `/v1/connections/${s.connectionId}`)).status).toBe(200);
    const gone = await stack.api('PATCH', `/v1/connections/${s.connectionId}`, { dailySendLimit: 5 });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('MAILBOX_DISCONNECTED');
    expect(await stack.db.selectFrom('accounts').select('daily_send_limit').where('id', '=', s.accountId).executeTakeFirstOrThrow()).toEqual({ daily_send_limit: 500 });
  });
});
