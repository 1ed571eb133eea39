import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateQuery } from '../../src/workflows/definitions';
import { uniqueAddress } from '../helpers/addresses';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import type { ContactSeed } from '../helpers/directory';
import { prepareMailbox, setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

describe('Outlook lifecycle and recovery', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ recordAs: 'outlook-lifecycle' });
  });
  afterAll(async () => {
    await stack.close();
  });

  const setup = (tag: string, contacts: ContactSeed[] = []) => setupMailbox(stack, 'outlook', contacts, { tag: `ol-${tag}` });
  const replyTo = (rfc: string) => ({ inReplyTo: rfc, references: [rfc] });

  it('a delta token evicted mid-run (410) is recovered: nothing lost, nothing doubled, nothing from before connect', async () => {
    const box = await prepareMailbox(stack, 'outlook', { tag: 'ol-410' });
    const { owner, client } = box;
    await box.sandbox.deliver({ from: client, to: [owner], subject: 'ancient', text: 'old', receivedDateTime: new Date(Date.now() - 7_200_000).toISOString() });
    const s = await box.connect();
    const sent = await s.send({ contactId: 'c-1', subject: 'Thread', text: 'start' });
    for (let i = 0; i < 5; i++) await s.sandbox.deliver({ from: client, to: [owner], subject: `RE: Thread`, text: `before ${i}`, ...replyTo(sent.body.rfcMessageId) });
    await waitFor(async () => (await conversationMessages(stack, s.locationId, 'c-1')).length === 6);

    await stack.graph.control.expireDeltaTokens(owner);
    for (let i = 0; i < 10; i++) await s.sandbox.deliver({ from: client, to: [owner], subject: `RE: Thread`, text: `after ${i}`, ...replyTo(sent.body.rfcMessageId) });
    await waitFor(async () => (await conversationMessages(stack, s.locationId, 'c-1')).length >= 16, { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 3_500));
    const texts = (await conversationMessages(stack, s.locationId, 'c-1')).map((m) => m.text.trim());
    expect(texts).toHaveLength(16);
    expect(new Set(texts).size).toBe(16);
    expect(texts).not.toContain('old');
    const expired = await stack.api('GET', '/v1/events?type=sync.cursor_expired');
    expect(expired.body.events.some((e: any) => e.payload.accountId === s.accountId)).toBe(true);
  }, 90_000);

  it('R15: disconnect deletes the Graph subscription and completes the workflow', async () => {
    const s = await setup('r15');
    await waitFor(async () => (await stack.graph.control.subscriptions(s.owner)).length === 1);
    expect((await stack.api('DELETE', `/v1/connections/${s.connectionId}`)).status).toBe(200);
    await stack.client.workflow.getHandle(`mailbox/outlook/${s.accountId}`).result();
    expect(await stack.graph.control.subscriptions(s.owner)).toEqual([]);
  });

  it('R18: a send with the BCC address enrols the recipient, whose new threads then sync on Outlook too', async () => {
    const s = await setup('r18');
    const bcc = (await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.bccAddress as string;
    const prospect = uniqueAddress('prospect', 'lead.test');
    const sent = await s.sandbox.sendAsOwner({ to: [prospect], bcc: [bcc], subject: 'Intro', text: 'hi' });
    expect(await decisionsFor(stack, s.connectionId, sent.immutableId)).toMatchObject([{ ruleId: 'R18', outcome: 'synced' }]);
    const contact = await stack.db.selectFrom('contacts').selectAll().where('location_id', '=', s.locationId).where('email', '=', prospect).executeTakeFirstOrThrow();
    const fresh = await s.sandbox.deliver({ from: prospect, to: [s.owner], subject: 'A new topic', text: 'separately' });
    expect(await decisionsFor(stack, s.connectionId, fresh.immutableId)).toMatchObject([{ ruleId: 'R18', reason: 'bcc_enrolled_contact', outcome: 'synced' }]);
    expect((await conversationMessages(stack, s.locationId, contact.id)).map((m) => m.subject)).toEqual(['Intro', 'A new topic']);
  });

  it('R19: a revoked grant puts the mailbox in needs_reauth; messages that arrive meanwhile sync after new credentials', async () => {
    const client = uniqueAddress('client19', 'client.test');
    const s = await setup('r19', [{ id: 'c-1', email: client }]);
    const sent = await s.send({ contactId: 'c-1', subject: 'Re-auth', text: 'x' });
    await s.sandbox.revoke();
    const handle = stack.client.workflow.getHandle(`mailbox/outlook/${s.accountId}`);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await s.sandbox.deliver({ from: client, to: [s.owner], subject: 'RE: Re-auth', text: `n${i}`, ...replyTo(sent.body.rfcMessageId) })).immutableId);
    await waitFor(async () => (await handle.query(stateQuery)).status === 'needs_reauth', { timeoutMs: 30_000 });
    const rejected = await s.send({ contactId: 'c-1', subject: 'x', text: 'x' });
    expect(rejected.body.error.code).toBe('REAUTH_REQUIRED');
    const fresh = await s.sandbox.grant();
    expect((await stack.api('PUT', `/v1/connections/${s.connectionId}/credentials`, { refreshToken: fresh.refreshToken })).body.outcome).toBe('reauthorized');
    for (const id of ids) expect(await decisionsFor(stack, s.connectionId, id)).toMatchObject([{ outcome: 'synced' }]);
    // Graph gives receivedDateTime to the second: messages of one second have no order between them.
    // The send refused with REAUTH_REQUIRED stays in the conversation as failed; the rest were sent or synced.
    const texts = (await conversationMessages(stack, s.locationId, 'c-1')).filter((m) => m.sendStatus !== 'failed').map((m) => m.text.trim());
    expect(texts[0]).toBe('x');
    expect(texts.slice(1).sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
  }, 60_000);
});
