import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSettings } from '../../src/activities/sync/memory-bound';
import { conversationMessages, decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { HOSTILE_MIME, tooManyPartsMime } from '../helpers/malformed-mime';
import { waitFor } from '../helpers/wait';

// The defaults, except two counted attempts a second apart, so a message that never parses is decided in seconds.
const ingest: IngestSettings = { maxInlineMessageBytes: 4 * 1024 * 1024, unreadableAttempts: 2, unreadableAttemptGapMs: 1_000 };

describe('Gmail: a batch of hostile mail arrives with a normal message', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack({ ingest });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('R2, R20: the normal message syncs, each hostile one is decided (synced as far as it reads, or unreadable), the mailbox stays active', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'hostile' });
    const headers = (name: string) => ({ from: `Client <${s.client}>`, to: s.owner, subject: `Hostile: ${name}`, messageId: `<${name.replace(/\W+/g, '-')}@client.test>` });
    // Push off while the batch arrives, so that it is read in one page, the hostile messages among the normal one.
    stack.pushOff();
    const hostile: Record<string, string> = {};
    for (const [name, build] of Object.entries(HOSTILE_MIME)) hostile[name] = (await s.sandbox.deliverRaw({ raw: build(headers(name)) })).messageId;
    const broken = (await s.sandbox.deliverRaw({ raw: tooManyPartsMime(headers('too many parts')) })).messageId;
    const normal = (await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Plans', text: 'The plans, as promised.' })).messageId;
    stack.pushOn();
    const after = (await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'And one more', text: 'after the batch' })).messageId;

    const all = [...Object.values(hostile), broken, normal, after];
    const decided = async () =>
      (await stack.db.selectFrom('sync_decisions').select('provider_message_id').distinct().where('account_id', '=', s.accountId).where('provider_message_id', 'in', all).execute()).length;
    await waitFor(async () => (await decided()) === all.length, { timeoutMs: 60_000, intervalMs: 250 }).catch(async (err: Error) => {
      const status = (await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.status as string;
      throw new Error(`${err.message}: ${await decided()} of ${all.length} decided, mailbox ${status}`);
    });

    for (const id of [normal, after, ...Object.values(hostile)]) expect(await decisionsFor(stack, s.connectionId, id), id).toMatchObject([{ ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced' }]);
    expect(await decisionsFor(stack, s.connectionId, broken)).toMatchObject([{ ruleId: 'R20', reason: 'unreadable', outcome: 'skipped', messageId: null }]);

    const messages = await conversationMessages(stack, s.locationId, 'c-1');
    const byId = (id: string) => messages.find((m: { providerMessageId: string }) => m.providerMessageId === id);
    expect(byId(normal)).toMatchObject({ subject: 'Plans', text: 'The plans, as promised.\n' });
    // What Postgres cannot hold is left out; the rest is kept as the sender wrote it.
    expect(byId(hostile['NUL bytes in headers and body']!)).toMatchObject({ subject: 'Hostile: NUL bytes in headers and bodywith NUL', text: expect.stringMatching(/^bodywithNULs\n?$/) });
    expect(byId(hostile['multipart nested 200 levels']!)).toMatchObject({ text: expect.stringMatching(/^bottom of 200 levels\n?$/) });
    expect(byId(hostile['1 MB Subject']!).subject.length).toBeGreaterThan(1_000_000);
    const overLimits = byId(hostile['Message-ID and address over index limits']!);
    expect(overLimits).toMatchObject({ rfcMessageId: expect.stringMatching(/@gmail\.mailsync\.invalid>$/), to: [s.owner] });

    expect((await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.status).toBe('active');
  });
});
