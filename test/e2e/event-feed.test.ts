import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import { waitFor } from '../helpers/wait';

interface FeedEvent {
  id: string;
  type: string;
}

/** Follows `GET /v1/events?after=` the way a CRM does: from the last id it processed, every `everyMs`. */
function follow(stack: GmailStack, everyMs: number) {
  const seen: FeedEvent[] = [];
  let after = '0';
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (;;) {
        const res = await stack.api('GET', `/v1/events?after=${after}&limit=50`);
        if (res.status !== 200) throw new Error(`GET /v1/events answered ${res.status}`);
        const events = res.body.events as FeedEvent[];
        seen.push(...events.map((e) => ({ id: e.id, type: e.type })));
        if (events.length) after = events[events.length - 1]!.id;
        if (!res.body.next) break;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    seen,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function readAll(stack: GmailStack): Promise<FeedEvent[]> {
  const all: FeedEvent[] = [];
  let after = '0';
  for (;;) {
    const res = await stack.api('GET', `/v1/events?after=${after}&limit=1000`);
    all.push(...(res.body.events as FeedEvent[]).map((e) => ({ id: e.id, type: e.type })));
    if (!res.body.next) return all;
    after = res.body.next;
  }
}

/** The event feed is an ordered log: a reader following `after=` never passes an event that commits later. */
describe('event feed', () => {
  let stack: GmailStack;
  beforeAll(async () => {
    stack = await startGmailStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a reader polling every 100 ms during ingest on 5 mailboxes plus sends sees every event, in the order of a full read', async () => {
    const reader = follow(stack, 100);
    const mailboxes = await Promise.all([1, 2, 3, 4, 5].map((n) => setupMailbox(stack, 'gmail', { tag: `feed-${n}` })));
    const perMailbox = 30;
    await Promise.all(
      mailboxes.map(async (m, n) => {
        for (let i = 0; i < perMailbox; i++) {
          await m.sandbox.deliver({ from: m.client, to: [m.owner], subject: `m${n}-${i}`, text: 'hello' });
          if (i % 10 === 0) {
            const sent = await m.send({ contactId: 'c-1', subject: `s${n}-${i}`, text: 'from the CRM' });
            expect(sent.status).toBe(201);
          }
        }
      }),
    );
    const expectedSynced = mailboxes.length * perMailbox;
    await waitFor(
      async () => {
        const row = await stack.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '=', 'contact').executeTakeFirstOrThrow();
        return Number(row.n) === expectedSynced;
      },
      { timeoutMs: 90_000 },
    );
    // Let the reader take in what committed last, then compare it with one full read.
    await new Promise((r) => setTimeout(r, 1_000));
    await reader.stop();
    const all = await readAll(stack);

    expect(all.filter((e) => e.type === 'message.synced')).toHaveLength(expectedSynced);
    expect(all.filter((e) => e.type === 'message.sent')).toHaveLength(mailboxes.length * 3);
    expect(reader.seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  }, 180_000);
});
