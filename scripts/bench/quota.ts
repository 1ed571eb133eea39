/**
 * `npm run bench -- --quota`: a backlog in one mailbox drained at the provider's real per-mailbox limit
 * (Gmail 6,000 units a minute; Graph 10,000 requests per 10 minutes and 4 at once), against the
 * quota-bound rate (quota-share.ts), with the 429s the sandboxes answered. The backlog is delivered
 * while pushes are held; one notify then starts the clock, and it stops when the last message is stored.
 */
import { performance } from 'node:perf_hooks';
import { decodeTimeoutType } from '@temporalio/common';
import type { MailboxCounters } from '@mailsync/provider-sandbox';
import type { Provider } from '../../src/provider';
import { GMAIL_UNITS } from '../../src/providers/gmail/quota';
import { notifySignal } from '../../src/workflows/definitions';
import { quotaShare, type QuotaShare } from './quota-share';
import { quotaApi, startQuotaStack, type QuotaLimits, type QuotaStack } from './quota-stack';
import { mergeResults, readJson, RESULTS_FILE } from './results-file';

const N = Number(process.env.BENCH_QUOTA_MESSAGES ?? 5000);
const LIMITS: QuotaLimits = {
  gmailUnitsPerMinute: Number(process.env.BENCH_GMAIL_UNITS_PER_MINUTE ?? 6000),
  graphRequestsPer10Minutes: 10_000,
  graphConcurrent: 4,
};
/** The fewest units a synced message can cost: Gmail one messages.get and a share of a 100-record history page; Graph one `$value` and a share of a 50-item delta page. */
const MINIMUM_UNITS: Record<Provider, number> = { gmail: GMAIL_UNITS.messagesGet + GMAIL_UNITS.historyList / 100, outlook: 1 + 1 / 50 };

export interface DrainResult extends QuotaShare {
  messages: number;
  ms: number;
  unitsPerMessage: number;
  minimumUnitsPerMessage: number;
  rateLimited: number;
  maxConcurrent: number;
  /** Activity attempts after the first during the drain, from the workflow's history, and how many followed a heartbeat timeout. */
  retriedAttempts: number;
  heartbeatTimeouts: number;
}

/** Attempts after the first of the activities that finished in the run (a started event carries the last attempt and its failure). */
async function retriedAttempts(stack: QuotaStack, workflowId: string): Promise<{ retriedAttempts: number; heartbeatTimeouts: number }> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  let retried = 0;
  let heartbeat = 0;
  for (const e of history.events ?? []) {
    const started = e.activityTaskStartedEventAttributes;
    if (!started || (started.attempt ?? 1) <= 1) continue;
    retried += (started.attempt ?? 1) - 1;
    if (decodeTimeoutType(started.lastFailure?.timeoutFailureInfo?.timeoutType) === 'HEARTBEAT') heartbeat += 1;
  }
  return { retriedAttempts: retried, heartbeatTimeouts: heartbeat };
}

interface SandboxMailbox {
  createAccount(): Promise<{ refreshToken: string }>;
  deliver(i: number, client: string): Promise<unknown>;
  counters(): Promise<MailboxCounters>;
  resetCounters(): Promise<void>;
}

function sandboxMailbox(stack: QuotaStack, provider: Provider, owner: string): SandboxMailbox {
  const text = (i: number) => `message ${i} `.repeat(20);
  if (provider === 'gmail') {
    const c = stack.gmail.control;
    return {
      createAccount: async () => c.createAccount(owner),
      deliver: async (i, client) => c.deliver(owner, { from: client, to: [owner], subject: `quota ${i}`, text: text(i) }),
      counters: async () => c.counters(owner),
      resetCounters: async () => c.resetCounters(owner),
    };
  }
  const c = stack.graph.control;
  return {
    createAccount: () => c.createAccount(owner),
    deliver: (i, client) => c.deliver(owner, { from: client, to: [owner], subject: `quota ${i}`, text: text(i) }),
    counters: () => c.counters(owner),
    resetCounters: () => c.resetCounters(owner),
  };
}

async function waitUntil(fn: () => Promise<boolean>, intervalMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function drain(stack: QuotaStack, provider: Provider, log: (line: string) => void): Promise<DrainResult> {
  const tag = `quota-${provider}`;
  const owner = `${tag}-${Date.now()}@${provider === 'gmail' ? 'bench.test' : 'outlook.test'}`;
  const client = `client-${tag}@client.test`;
  const loc = `loc-${tag}`;
  await quotaApi(stack, 'PUT', `/v1/locations/${loc}`, { name: tag });
  await quotaApi(stack, 'PUT', `/v1/users/u-${tag}`, { email: owner, name: tag, locationIds: [loc] });
  await quotaApi(stack, 'PUT', `/v1/locations/${loc}/contacts/c-1`, { email: client, assignedUserId: `u-${tag}` });
  const mailbox = sandboxMailbox(stack, provider, owner);
  const { refreshToken } = await mailbox.createAccount();
  const conn = await quotaApi(stack, 'POST', '/v1/connections', { locationId: loc, userId: `u-${tag}`, provider, refreshToken });
  const cursor = async () => (await stack.db.selectFrom('sync_state').select('cursor').where('account_id', '=', conn.accountId).executeTakeFirstOrThrow()).cursor as Record<string, string>;
  await waitUntil(async () => {
    const c = await cursor();
    return Object.keys(c).length > 0 && c.mode !== 'reconcile';
  }, 100, 120_000);

  log(`${provider}: delivering ${N} messages with pushes held`);
  stack.relay.hold();
  for (let i = 0; i < N; i++) await mailbox.deliver(i, client);
  stack.relay.release();
  await mailbox.resetCounters();
  log(`${provider}: delivered; draining`);
  // A message is synced once read and decided: stored, or skipped by the rules (Outlook keeps only
  // threads started from the CRM, R3, so the Graph backlog is read, decided and skipped at the same cost).
  const stored = async () =>
    Number((await stack.db.selectFrom('sync_decisions').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', conn.accountId).executeTakeFirstOrThrow()).n);
  // A page already running when the backlog began may have stored a few: the drain is what is left.
  const before = await stored();
  const start = performance.now();
  await stack.client.workflow.getHandle(conn.workflowId).signal(notifySignal, { source: 'push' });
  let reportAt = 10_000;
  await waitUntil(async () => {
    const n = await stored();
    const elapsed = performance.now() - start;
    if (elapsed >= reportAt) log(`${provider}: ${n} decided after ${(elapsed / 1000).toFixed(0)} s`);
    if (elapsed >= reportAt) reportAt += 10_000;
    return n >= N;
  }, 100, 30 * 60_000);
  const ms = performance.now() - start;
  if ((await stored()) !== N) throw new Error(`${provider}: decided ${await stored()} messages, not ${N}`);
  const counters = await mailbox.counters();
  const limit = provider === 'gmail' ? LIMITS.gmailUnitsPerMinute : LIMITS.graphRequestsPer10Minutes;
  const windowMs = provider === 'gmail' ? 60_000 : 10 * 60_000;
  const messages = N - before;
  const share = quotaShare({ messages, ms, limit, windowMs, minimumUnitsPerMessage: MINIMUM_UNITS[provider] });
  const retries = await retriedAttempts(stack, conn.workflowId);
  return {
    messages,
    ms,
    unitsPerMessage: counters.quotaUnits / messages,
    minimumUnitsPerMessage: MINIMUM_UNITS[provider],
    rateLimited: counters.rateLimited,
    maxConcurrent: counters.maxConcurrent,
    ...retries,
    ...share,
  };
}

function report(provider: Provider, r: DrainResult, log: (line: string) => void): void {
  const bound = r.windowBoundMs > 0 ? `the window allows it in ${(r.windowBoundMs / 1000).toFixed(0)} s at the soonest` : 'the backlog fits one window: the window does not bind it';
  log(
    `${provider.padEnd(7)} ${r.messages} messages in ${(r.ms / 1000).toFixed(1)} s: ${r.msgPerSec.toFixed(2)} msg/s against the quota-bound ${r.quotaBoundMsgPerSec.toFixed(2)} ` +
      `(share ${r.share.toFixed(3)}, target ≥ 0.90; ${bound}); ${r.unitsPerMessage.toFixed(3)} units/message (minimum ${r.minimumUnitsPerMessage.toFixed(3)}); ` +
      `${r.rateLimited} answered 429 (target 0); at most ${r.maxConcurrent} calls at once; ${r.retriedAttempts} activity attempts retried (${r.heartbeatTimeouts} after a heartbeat timeout)`,
  );
}

export async function quotaBench(log: (line: string) => void): Promise<void> {
  log(`quota bench: ${N} messages per mailbox; Gmail at ${LIMITS.gmailUnitsPerMinute} units a minute, Graph at ${LIMITS.graphRequestsPer10Minutes} requests per 10 minutes and ${LIMITS.graphConcurrent} at once`);
  const stack = await startQuotaStack(LIMITS, log);
  try {
    // One provider only (BENCH_QUOTA_ONLY): the other's figures stay as the last run left them.
    const only = process.env.BENCH_QUOTA_ONLY;
    const previous = readJson(RESULTS_FILE)?.quota as { gmail?: DrainResult; graph?: DrainResult } | undefined;
    const gmail = only === 'outlook' ? (previous?.gmail ?? null) : await drain(stack, 'gmail', log);
    if (gmail && only !== 'outlook') report('gmail', gmail, log);
    const graph = only === 'gmail' ? (previous?.graph ?? null) : await drain(stack, 'outlook', log);
    if (graph && only !== 'gmail') report('outlook', graph, log);
    mergeResults({
      quota: {
        measuredAt: new Date().toISOString(),
        // null: that provider was not drained in this run (BENCH_QUOTA_ONLY).
        gmailShare: gmail?.share ?? null,
        graphShare: graph?.share ?? null,
        rateLimited: (gmail?.rateLimited ?? 0) + (graph?.rateLimited ?? 0),
        limits: LIMITS,
        gmail,
        graph,
      },
    });
    log('results: bench/results.json (quota)');
  } finally {
    await stack.close();
  }
}
