import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGmail, seedDirectory, startGmailStack, uniqueAddress, type GmailStack } from '../helpers/gmail-stack';
import { connectOutlook, startOutlookStack, type OutlookStack } from '../helpers/outlook-stack';
import { waitFor } from '../helpers/wait';

/** Sizes can be raised for a longer soak: BURST_ACCOUNTS, BURST_MESSAGES (per account), BURST_FAULT_RATE. */
const ACCOUNTS = Number(process.env.BURST_ACCOUNTS ?? 10);
const PER_ACCOUNT = Number(process.env.BURST_MESSAGES ?? 100);
const FAULT_RATE = Number(process.env.BURST_FAULT_RATE ?? 0.2);

async function storedOnce(stack: GmailStack | OutlookStack, accountIds: string[], expected: number) {
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
      for (let a = 0; a < ACCOUNTS; a++) {
        const owner = uniqueAddress(`burst-${a}`);
        const client = uniqueAddress(`burst-client-${a}`, 'client.test');
        await seedDirectory(stack, { locationId: `loc-burst-${a}`, userId: `user-burst-${a}`, userEmail: owner, contacts: [{ id: 'c-1', email: client }] });
        accounts.push({ owner, client, ...(await connectGmail(stack, { locationId: `loc-burst-${a}`, userId: `user-burst-${a}`, address: owner })) });
      }
      // Half the faults are rate limits with Gmail's retry time, half are 503s.
      for (const acc of accounts) {
        stack.sandbox.control.injectFaults([
          { mailbox: acc.owner, status: 429, retryAfterMs: 300, probability: FAULT_RATE / 2 },
          { mailbox: acc.owner, status: 503, probability: FAULT_RATE / 2 / (1 - FAULT_RATE / 2) },
        ]);
      }
      for (let i = 0; i < PER_ACCOUNT; i++) {
        for (const acc of accounts) await stack.sandbox.control.deliver(acc.owner, { from: acc.client, to: [acc.owner], subject: `burst ${i}`, text: `message ${i}` });
      }
      const result = await storedOnce(stack, accounts.map((a) => a.accountId), ACCOUNTS * PER_ACCOUNT);
      expect(result).toEqual({ total: ACCOUNTS * PER_ACCOUNT, distinct: ACCOUNTS * PER_ACCOUNT });
      const faults = accounts.reduce((sum, a) => sum + stack.sandbox.control.counters(a.owner).faultsInjected, 0);
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
        const owner = uniqueAddress(`oburst-${a}`, 'outlook.test');
        const client = uniqueAddress(`oburst-client-${a}`, 'client.test');
        await seedDirectory(stack, { locationId: `loc-oburst-${a}`, userId: `user-oburst-${a}`, userEmail: owner, contacts: [{ id: 'c-1', email: client }] });
        const conn = await connectOutlook(stack, { locationId: `loc-oburst-${a}`, userId: `user-oburst-${a}`, address: owner });
        const sent = await stack.api('POST', `/v1/connections/${conn.connectionId}/messages`, { contactId: 'c-1', subject: 'Burst thread', text: 'start' });
        expect(sent.status).toBe(201);
        accounts.push({ owner, client, rfc: sent.body.rfcMessageId as string, ...conn });
      }
      // Half the faults are 429 TooManyRequests, half 503s, both with a fractional Retry-After.
      for (const acc of accounts) {
        await stack.graph.control.injectFaults({ mailbox: acc.owner, status: 429, retryAfterMs: 200, probability: FAULT_RATE / 2 });
        await stack.graph.control.injectFaults({ mailbox: acc.owner, status: 503, retryAfterMs: 200, probability: FAULT_RATE / 2 / (1 - FAULT_RATE / 2) });
      }
      for (let i = 0; i < PER_ACCOUNT; i++) {
        for (const acc of accounts) {
          await stack.graph.control.deliver(acc.owner, { from: acc.client, to: [acc.owner], subject: 'RE: Burst thread', text: `message ${i}`, inReplyTo: acc.rfc, references: [acc.rfc] });
        }
      }
      const result = await storedOnce(stack, accounts.map((a) => a.accountId), ACCOUNTS * PER_ACCOUNT);
      expect(result).toEqual({ total: ACCOUNTS * PER_ACCOUNT, distinct: ACCOUNTS * PER_ACCOUNT });
      const faults = (await Promise.all(accounts.map((a) => stack.graph.control.counters(a.owner)))).reduce((sum, c) => sum + c.faultsInjected, 0);
      expect(faults).toBeGreaterThan(0);
      for (const acc of accounts) expect((await stack.graph.control.counters(acc.owner)).maxConcurrent).toBeLessThanOrEqual(4);
    }, 300_000);
  });
});
