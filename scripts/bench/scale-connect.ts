import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { SCALE_API_KEY, type ScaleStack } from './scale-stack';

/** One bench mailbox: the owner's sandbox account, the contact who writes to it, its account id in mailsync. */
export interface ScaleMailbox {
  owner: string;
  contact: string;
  accountId: string;
}

async function api(stack: ScaleStack, method: 'POST' | 'PUT', url: string, body: object): Promise<{ accountId?: string }> {
  const res = await stack.app.inject({ method, url, headers: { authorization: `Bearer ${SCALE_API_KEY}` }, payload: body });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Through the API, as a CRM would: the location, the user, the user's contact, then POST /v1/connections. */
async function connectOne(stack: ScaleStack, run: string, i: number): Promise<ScaleMailbox> {
  const tag = `${run}-${i}`;
  const owner = `owner-${tag}@scale.bench.test`;
  const contact = `client-${tag}@client.test`;
  await api(stack, 'PUT', `/v1/locations/loc-${tag}`, { name: tag });
  await api(stack, 'PUT', `/v1/users/u-${tag}`, { email: owner, name: tag, locationIds: [`loc-${tag}`] });
  await api(stack, 'PUT', `/v1/locations/loc-${tag}/contacts/c-1`, { email: contact, assignedUserId: `u-${tag}` });
  const grant = stack.sandbox.control.createAccount(owner);
  const conn = await api(stack, 'POST', '/v1/connections', { locationId: `loc-${tag}`, userId: `u-${tag}`, provider: 'gmail', refreshToken: grant.refreshToken });
  return { owner, contact, accountId: conn.accountId! };
}

/** Mailboxes whose first sync stored its baseline and that follow the change stream (what the tests' waitForBaseline checks). */
export async function baselinesStored(stack: ScaleStack): Promise<number> {
  const row = await sql<{ n: string }>`select count(*) as n from sync_state where cursor <> '{}'::jsonb and coalesce(cursor->>'mode', '') <> 'reconcile'`.execute(stack.db);
  return Number(row.rows[0]!.n);
}

/** Connects made through the API whose baseline is not stored yet: beyond this many, the next connect waits. */
const MAX_AHEAD = 256;
/** How long the baselines may go without progress before the bench gives up. */
const STALL_MS = 300_000;

/**
 * Connects `n` mailboxes with at most `concurrency` connects in flight and at most MAX_AHEAD of them
 * still waiting for their first sync (as a CRM onboarding its users in batches would: the API answers
 * long before the first sync, and the workers would otherwise trail far behind), then waits until every
 * one has its baseline. Connects per second count the whole way to the baseline, not just the API's 201.
 */
export async function connectMailboxes(stack: ScaleStack, n: number, concurrency: number, log: (line: string) => void) {
  const run = Date.now().toString(36);
  const mailboxes: ScaleMailbox[] = new Array(n);
  const start = performance.now();
  let next = 0;
  let connected = 0;
  let stored = 0;
  let progressAt = Date.now();
  const readStored = async () => {
    const now = await baselinesStored(stack);
    if (now > stored) progressAt = Date.now();
    stored = now;
    if (Date.now() - progressAt > STALL_MS) throw new Error(`only ${stored} of ${n} mailboxes stored their baseline; none more in ${STALL_MS / 1000} s`);
  };
  let reading: Promise<void> | null = null;
  // One reader at a time, shared by the lanes that wait.
  const refresh = () => (reading ??= readStored().finally(() => (reading = null)));
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      while (connected - stored >= MAX_AHEAD) {
        await refresh();
        if (connected - stored >= MAX_AHEAD) await new Promise((r) => setTimeout(r, 250));
      }
      mailboxes[i] = await connectOne(stack, run, i);
      connected += 1;
      if ((i + 1) % 1000 === 0) log(`  ${i + 1} connected through the API (${((performance.now() - start) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  const apiSeconds = (performance.now() - start) / 1000;
  while (stored < n) {
    await refresh();
    if (stored < n) await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - start) / 1000;
  return { mailboxes, apiSeconds, seconds, connectPerSec: n / seconds };
}
