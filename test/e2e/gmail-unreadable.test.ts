import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activitiesMemoryBound, GC_HEADROOM_BYTES, maxActivityMemoryBytes, type IngestSettings } from '../../src/activities/sync/memory-bound';
import { decisionsFor } from '../helpers/crm-views';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { largeMessages } from '../helpers/large-mime';
import { setupMailbox } from '../helpers/mailbox';
import { tooManyPartsMime } from '../helpers/malformed-mime';
import { mib, watchPeakRss } from '../helpers/process-memory';
import { waitFor } from '../helpers/wait';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

const MiB = 1024 * 1024;
const LARGE = 20;
const LARGE_BYTES = 20 * MiB;
// The defaults, except a short gap between counted attempts so the test needs seconds, not half a minute.
const ingest: IngestSettings = { maxInlineMessageBytes: 4 * MiB, unreadableAttempts: 3, unreadableAttemptGapMs: 1_000 };
const BOUND_TEXT = `bound for one activity ${mib(activitiesMemoryBound(1, ingest))} (${mib(maxActivityMemoryBytes(ingest))} live + ${mib(GC_HEADROOM_BYTES)} collector headroom)`;

describe('Gmail: unreadable messages are decided, large ones read within a memory bound', () => {
  let stack: GmailStack;
  let worker: WorkerProcess;

  beforeAll(async () => {
    // The fallback poll is far off: push alone says when to sync.
    stack = await startGmailStack({ inProcessWorker: false, timers: { fallbackPollMs: 300_000 } });
    worker = await startWorkerProcess({ ...stack.workerEnv, INGEST_CONFIG: JSON.stringify(ingest) });
  });
  afterAll(async () => {
    await worker?.kill();
    await stack?.close();
  });

  it('R20, R2: 20 messages of 20 MB are stored with attachments as references, a malformed one is skipped unreadable, the mailbox stays active', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'unreadable' });
    // Warm the worker's read path (parser, clients) before measuring.
    const first = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Hello', text: 'first' });
    await decisionsFor(stack, s.connectionId, first.messageId);
    const rss = watchPeakRss(worker.child.pid!);

    const pdf = Buffer.alloc(LARGE_BYTES, 0x25);
    const message = await largeMessages({ from: s.client, to: s.owner, text: 'Plans for the site attached.', attachment: { filename: 'plans.pdf', contentType: 'application/pdf', content: pdf } });
    // Push off while the mail arrives, so that it is all in one sync page: 4 reads at once, a malformed one among them.
    stack.pushOff();
    const started = Date.now();
    const large: string[] = [];
    let bad = '';
    for (let i = 0; i < LARGE; i++) {
      if (i === LARGE / 2) {
        const raw = tooManyPartsMime({ from: s.client, to: s.owner, subject: 'Broken', messageId: '<broken-unreadable@client.test>' });
        bad = (await s.sandbox.deliverRaw({ raw })).messageId;
      }
      const ref = await s.sandbox.deliverRaw({ raw: message(`Plans ${i}`, `<plans-${i}@client.test>`) });
      large.push(ref.messageId);
    }
    const delivered = Date.now() - started;
    stack.pushOn();
    const last = await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'All sent', text: 'That was all of them.' });
    const all = [...large, bad, last.messageId];
    const decided = async () =>
      (await stack.db.selectFrom('sync_decisions').select('provider_message_id').distinct().where('account_id', '=', s.accountId).where('provider_message_id', 'in', all).execute()).length;
    await waitFor(async () => (await decided()) === all.length, { timeoutMs: 60_000, intervalMs: 250 }).catch(async (err: Error) => {
      const status = (await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.status as string;
      throw new Error(`${err.message}: ${await decided()} of ${all.length} decided, mailbox ${status}, worker RSS +${mib(rss.peak() - rss.baseline)} at peak`);
    });
    const synced = Date.now() - started - delivered;

    expect(await decisionsFor(stack, s.connectionId, bad)).toMatchObject([
      { ruleId: 'R20', reason: 'unreadable', outcome: 'skipped', messageId: null, explanation: expect.stringContaining('could not give a readable copy') },
    ]);
    for (const id of large) expect(await decisionsFor(stack, s.connectionId, id)).toMatchObject([{ ruleId: 'R2', reason: 'assigned_contact', outcome: 'synced' }]);
    const failure = await stack.db.selectFrom('unreadable_messages').selectAll().where('account_id', '=', s.accountId).execute();
    expect(failure).toMatchObject([{ provider_message_id: bad, attempts: 3, last_kind: 'parse', decided_at: expect.any(Date) }]);
    expect(failure[0]!.last_error).toMatch(/does not parse as MIME: Max allowed child nodes exceeded/);

    const conversation = await stack.api('GET', `/v1/locations/${s.locationId}/conversations?contactId=c-1`);
    const messages = (await stack.api('GET', `/v1/conversations/${conversation.body.conversations[0].id}/messages`)).body.messages as { providerMessageId: string; subject: string; text: string; attachments: unknown[] }[];
    expect(messages).toHaveLength(LARGE + 2);
    for (const [i, id] of large.entries()) {
      const m = messages.find((x) => x.providerMessageId === id)!;
      expect(m).toMatchObject({ subject: `Plans ${i}`, text: 'Plans for the site attached.' });
      expect(m.attachments).toEqual([{ id: expect.any(String), filename: 'plans.pdf', contentType: 'application/pdf', size: LARGE_BYTES }]);
    }
    const stored = await stack.db
      .selectFrom('attachments as a')
      .innerJoin('messages as m', 'm.id', 'a.message_id')
      .select(['m.provider_message_id', 'a.size_bytes', 'a.provider_attachment_id', (eb) => eb.fn<number>('octet_length', ['a.content']).as('content_bytes')])
      .where('m.account_id', '=', s.accountId)
      .execute();
    expect(stored).toHaveLength(LARGE);
    // Over the bound: no bytes in Postgres, the Gmail part id as the reference (its attachment ids change on every read).
    for (const row of stored) expect(row).toMatchObject({ size_bytes: LARGE_BYTES, provider_attachment_id: '1', content_bytes: null });

    const events = await stack.api('GET', '/v1/events?type=message.unreadable');
    expect(events.body.events).toMatchObject([
      { type: 'message.unreadable', locationId: s.locationId, connectionId: s.connectionId, payload: { accountId: s.accountId, providerMessageId: bad, attempts: 3, kind: 'parse', ruleId: 'R20' } },
    ]);
    expect((await stack.api('GET', `/v1/connections/${s.connectionId}`)).body.status).toBe('active');

    const growth = rss.peak() - rss.baseline;
    const counters = s.sandbox.counters();
    process.stdout.write(
      `[gmail-unreadable] ${LARGE} x ${mib(LARGE_BYTES)} + 1 malformed delivered in ${(delivered / 1000).toFixed(1)} s, decided in ${(synced / 1000).toFixed(1)} s; ` +
        `worker RSS ${mib(rss.baseline)} -> peak ${mib(rss.peak())} (+${mib(growth)}); ${BOUND_TEXT}; ` +
        `messages.get calls ${counters.calls['messages.get']}, quota units ${counters.quotaUnits}\n`,
    );
    // One mailbox: one activity at a time.
    expect(growth).toBeLessThan(activitiesMemoryBound(1, ingest));
  });

  it('R2: messages just under the bound are read whole, with their bytes, within the same memory bound', async () => {
    const s = await setupMailbox(stack, 'gmail', { tag: 'inline' });
    const rss = watchPeakRss(worker.child.pid!);
    const size = ingest.maxInlineMessageBytes - 512 * 1024;
    const message = await largeMessages({ from: s.client, to: s.owner, text: 'Under the bound.', attachment: { filename: 'scan.pdf', contentType: 'application/pdf', content: Buffer.alloc(Math.floor((size * 3) / 4), 0x41) } });
    stack.pushOff();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await s.sandbox.deliverRaw({ raw: message(`Scan ${i}`, `<scan-${i}@client.test>`) })).messageId);
    stack.pushOn();
    ids.push((await s.sandbox.deliver({ from: s.client, to: [s.owner], subject: 'Scans sent', text: 'done' })).messageId);
    for (const id of ids) expect(await decisionsFor(stack, s.connectionId, id)).toMatchObject([{ ruleId: 'R2', outcome: 'synced' }]);
    const stored = await stack.db
      .selectFrom('attachments as a')
      .innerJoin('messages as m', 'm.id', 'a.message_id')
      .select(['a.provider_attachment_id', (eb) => eb.fn<number>('octet_length', ['a.content']).as('content_bytes')])
      .where('m.account_id', '=', s.accountId)
      .execute();
    expect(stored).toHaveLength(12);
    for (const row of stored) expect(row).toEqual({ provider_attachment_id: null, content_bytes: Math.floor((size * 3) / 4) });
    const growth = rss.peak() - rss.baseline;
    process.stdout.write(`[gmail-unreadable] 12 x ${mib(size)} read whole: worker RSS ${mib(rss.baseline)} -> peak ${mib(rss.peak())} (+${mib(growth)}); ${BOUND_TEXT}\n`);
    expect(growth).toBeLessThan(activitiesMemoryBound(1, ingest));
  });
});
