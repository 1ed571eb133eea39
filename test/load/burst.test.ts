import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGmailStack, type GmailStack } from '../helpers/gmail-stack';
import { setupMailbox } from '../helpers/mailbox';
import type { Stack } from '../helpers/stack';
import { startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

/** Sizes can be raised for a longer soak: BURST_ACCOUNTS, BURST_MESSAGES (per account), BURST_FAULT_RATE. */
const ACCOUNTS = Number(process.env.BURST_ACCOUNTS ?? 10);
const PER_ACCOUNT = Number(process.env.BURST_MESSAGES ?? 100);
const FAULT_RATE = Number(process.env.BURST_FAULT_RATE ?? 0.2);

async function storedOnce(stack: Stack, accountIds: string[], expected: number) {
  await waitFor(
    async () => {
      const row = await stack.db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', 'in', accountIds).where('source', '=', 'contact').executeTakeFirstOrThrow();
      return Number(row.n) >= expected;
    },
    { timeoutMs: 240_000, intervalMs: 500 },
  );
  const rows = await stack.db.selectFrom('messages').select(['provider_message_id', 'location_id']).where('account_id', 'in', accountIds).where('source', '=', 'contact').execute();
  return { total: rows.length, distinct: new Set(rows.map((r) => `${r.location_id}/${r.provider_message_id}`)).size };
}

describe(`burst: ${ACCOUNTS * PER_ACCOUNT} inbound messages across ${ACCOUNTS} accounts, ${FAULT_RATE * 100}% of provider calls failing`, () => {
  describe('Gmail', () => {
    let stack: GmailStack;
    beforeAll(async () => {
      stack = await startGmailStack({ timers: { fallbackPollMs: 2_000, maxBackoffMs: 2_000 } });
    });
    afterAll(async () => {
      await stack.close();
    });

    it('R20: stores every message exactly once under 429s and 5xx', async () => {
      const accounts = [];
      for (let a = 0; a < ACCOUNTS; a++) accounts.push(await setupMailbox(stack, 'gmail', { tag: `burst-${a}` }));
      // Half the faults are rate limits with Gmail's retry time, half are 503s.
      for (const acc of accounts) {
        acc.sandbox.injectFaults({ status: 429, retryAfterMs: 300, probability: FAULT_RATE / 2 }, { status: 503, probability: FAULT_RATE / 2 / (1 - FAULT_RATE / 2) });
      }
      for (let i = 0; i < PER_ACCOUNT; i++) {
        for (const acc of accounts) await acc.sandbox.deliver({ from: acc.client, to: [acc.owner], subject: `burst ${i}`, text: `message ${i}` });
      }
      const result = await storedOnce(stack, accounts.map((a) => a.accountId), ACCOUNTS * PER_ACCOUNT);
      expect(result).toEqual({ total: ACCOUNTS * PER_ACCOUNT, distinct: ACCOUNTS * PER_ACCOUNT });
      const faults = accounts.reduce((sum, a) => sum + a.sandbox.counters().faultsInjected, 0);
      expect(faults).toBeGreaterThan(0);
    }, 300_000);
  });

  describe('Outlook', () => {
    let stack: OutlookStack;
    beforeAll(async () => {
      stack = await startOutlookStack({ timers: { fallbackPollMs: 2_000, maxBackoffMs: 2_000 } });
    });
    afterAll(async () => {
      await stack.close();
    });

    it('R20: stores every message exactly once under throttling, never above 4 concurrent requests per mailbox', async () => {
      const accounts = [];
      for (let a = 0; a < ACCOUNTS; a++) {
        const s = await setupMailbox(stack, 'outlook', { tag: `oburst-${a}` });
        const sent = await s.send({ contactId: 'c-1', subject: 'Burst thread', text: 'start' });
        expect(sent.status).toBe(201);
        accounts.push({ ...s, rfc: sent.body.rfcMessageId as string });
      }
      // Half the faults are 429 TooManyRequests, half 503s, both with a fractional Retry-After.
      for (const acc of accounts) {
        await acc.sandbox.injectFaults({ status: 429, retryAfterMs: 200, probability: FAULT_RATE / 2 }, { status: 503, retryAfterMs: 200, probability: FAULT_RATE / 2 / (1 - FAULT_RATE / 2) });
      }
      for (let i = 0; i < PER_ACCOUNT; i++) {
        for (const acc of accounts) {
          await acc.sandbox.deliver({ from: acc.client, to: [acc.owner], subject: 'RE: Burst thread', text: `message ${i}`, inReplyTo: acc.rfc, references: [acc.rfc] });
        }
      }
      const result = await storedOnce(stack, accounts.map((a) => a.accountId), ACCOUNTS * PER_ACCOUNT);
      expect(result).toEqual({ total: ACCOUNTS * PER_ACCOUNT, distinct: ACCOUNTS * PER_ACCOUNT });
      const faults = (await Promise.all(accounts.map((a) => a.sandbox.counters()))).reduce((sum, c) => sum + c.faultsInjected, 0);
      expect(faults).toBeGreaterThan(0);
      for (const acc of accounts) expect((await acc.sandbox.counters()).maxConcurrent).toBeLessThanOrEqual(4);
    }, 300_000);
  });
});
