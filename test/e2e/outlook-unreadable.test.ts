import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSettings } from '../../src/activities/sync/memory-bound';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { setupMailbox } from '../helpers/mailbox';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

const MiB = 1024 * 1024;
const ingest: IngestSettings = { maxInlineMessageBytes: 4 * MiB, unreadableAttempts: 3, unreadableAttemptGapMs: 1_000 };

describe('Outlook: a message Graph always fails on is decided, large ones are read without their attachments', () => {
  let stack: OutlookStack;
  beforeAll(async () => {
    stack = await startOutlookStack({ ingest });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('R20, R1: replies over the bound sync with attachments as references; one failing every time is skipped unreadable; the mailbox stays active', async () => {
    const s = await setupMailbox(stack, 'outlook', { tag: 'o-unreadable' });
    const { owner, client, locationId } = s;
    const sent = await s.send({ contactId: 'c-1', subject: 'Site plans', text: 'Send the plans please.' });
    expect(sent.status).toBe(201);

    // Three 2.5 MB files each (Outlook's 3 MB per attachment, R17): 7.5 MB, over the 4 MiB read bound.
    const files = [1, 2, 3].map((n) => ({ filename: `plan-${n}.pdf`, contentType: 'application/pdf', content: Buffer.alloc(2.5 * MiB, 0x20 + n) }));
    const reply = (n: number) => ({ from: client, to: [owner], subject: 'RE: Site plans', text: `Part ${n} attached.`, inReplyTo: sent.body.rfcMessageId, references: [sent.body.rfcMessageId], attachments: files });
    const large: string[] = [];
    for (let n = 0; n < 3; n++) large.push((await s.sandbox.deliver(reply(n))).immutableId);
    const cursed = await s.sandbox.deliver({ ...reply(3), attachments: [] });
    await s.sandbox.injectFaults({ messageId: cursed.immutableId, status: 500 });
    large.push((await s.sandbox.deliver(reply(4))).immutableId);

    expect(await decisionsFor(stack, s.connectionId, cursed.immutableId)).toMatchObject([{ ruleId: 'R20', reason: 'unreadable', outcome: 'skipped', messageId: null }]);
    for (const id of large) expect(await decisionsFor(stack, s.connectionId, id)).toMatchObject([{ ruleId: 'R1', reason: 'linked_thread', outcome: 'synced' }]);
    const failure = await stack.db.selectFrom('unreadable_messages').selectAll().where('account_id', '=', s.accountId).executeTakeFirstOrThrow();
    expect(failure).toMatchObject({ provider_message_id: cursed.immutableId, attempts: 3, last_kind: 'provider', decided_at: expect.any(Date) });
    expect(failure.last_error).toMatch(/^500/);

    const messages = await conversationMessages(stack, locationId, 'c-1');
    expect(messages.map((m) => m.subject)).toEqual(['Site plans', ...large.map(() => 'RE: Site plans')]);
    for (const m of messages.slice(1)) {
      expect(m.text).toMatch(/^Part \d attached\./);
      expect(m.attachments).toEqual(files.map((f) => ({ id: expect.any(String), filename: f.filename, contentType: 'application/pdf', size: 2.5 * MiB })));
    }
    const stored = await stack.db
      .selectFrom('attachments as a')
      .innerJoin('messages as m', 'm.id', 'a.message_id')
      .select(['a.provider_attachment_id', (eb) => eb.fn<number>('octet_length', ['a.content']).as('content_bytes')])
      .where('m.account_id', '=', s.accountId)
      .execute();
    expect(stored).toHaveLength(large.length * files.length);
    for (const row of stored) expect(row).toMatchObject({ provider_attachment_id: expect.stringMatching(/^AAMk/), content_bytes: null });

    const events = await stack.api('GET', '/v1/events?type=message.unreadable');
    expect(events.body.events).toMatchObject([{ connectionId: s.connectionId, payload: { providerMessageId: cursed.immutableId, attempts: 3, kind: 'provider' } }]);
    await waitFor(async () => (await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.status === 'active');
    const counters = await s.sandbox.counters();
    process.stdout.write(`[outlook-unreadable] Graph requests: ${JSON.stringify(counters.calls)}\n`);
  });
});
