import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { checkSendQuota } from '../rules/send-quota';
import { createFifoLock } from './fifo-lock';
import { connectSignal, disconnectSignal, notifySignal, sendUpdate, stateQuery, type SendArgs, type SendResult } from './definitions';
import { delayBeforeSpending, recordUnits } from './pacing';
import { releaseSendSlot, slotTimes, takeSendSlot, upgradeSendState } from './send-slots';
import { createAttributePublisher } from './publish-attributes';
import { addBinding, DEFAULT_PACING, removeBinding, type MailboxState, type MailboxWorkflowInput } from './state';

/** Bookkeeping writes to Postgres: short, and retried until the database answers. */
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
/** Watch / subscription upkeep: cheap to retry later from the renewal timer, so few attempts now. */
const watching = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } });

function providerActivities(timeoutMs: number) {
  return {
    /** One page of changes; rate limits, revoked grants and expired cursors come back to the workflow to decide. */
    syncing: proxyActivities<Activities>({
      startToCloseTimeout: timeoutMs,
      // Each attempt keeps what it read before failing, so retries make progress: retry soon, not ever later.
      retry: {
        initialInterval: '500 milliseconds',
        backoffCoefficient: 1.5,
        maximumInterval: '30 seconds',
        maximumAttempts: 12,
        nonRetryableErrorTypes: ['RateLimited', 'AuthRevoked', 'CursorExpired', 'ProviderPermanent'],
      },
    }),
    /**
     * A send: retried (an attempt after an unanswered call looks its Message-ID up first, so never twice),
     * honouring the provider's retry time. It heartbeats, so a dead worker's attempt is retried soon.
     */
    sending: proxyActivities<Activities>({
      startToCloseTimeout: timeoutMs,
      heartbeatTimeout: Math.max(2_000, Math.floor(timeoutMs / 3)),
      // Past this the send is held in doubt by the workflow (looked up again later), not failed.
      scheduleToCloseTimeout: 5 * timeoutMs,
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['AuthRevoked', 'SendLimit', 'ProviderPermanent', 'SendInDoubt'] },
    }),
  };
}

const now = () => Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
/** Units one sync page may spend at most (a history page and a page of message reads). */
const PAGE_UNIT_ESTIMATE = 2 + 100 * 5;
/** A send (100) and, on a retry, the Message-ID lookup (5). */
const SEND_UNIT_ESTIMATE = 105;
const WATCH_UNIT_ESTIMATE = 100;
/** Failures that prove a send did not go out: the message is failed. Any other failure leaves its fate unknown. */
const SEND_REFUSED = new Set(['AuthRevoked', 'SendLimit', 'ProviderPermanent']);
const DEFAULT_SEND_SETTLE_MS = 60_000;
/** After a sync page gave up on an unreachable Postgres. */
const DATABASE_RETRY_MS = 30_000;

/**
 * One workflow per provider account. It decides when and whether to talk to the provider;
 * activities do the IO and the rules module decides where each message goes.
 */
export async function mailboxWorkflow(input: MailboxWorkflowInput): Promise<MailboxState> {
  const { state, timers } = input;
  const pacing = input.pacing ?? DEFAULT_PACING[state.provider];
  const { syncing, sending } = providerActivities(input.activityTimeoutMs ?? 120_000);
  let messagesThisRun = 0;
  let lastBindingLeft = false;
  const attributes = createAttributePublisher(state);
  // One provider activity at a time per account: the provider's concurrency limit (Graph: 4 requests per
  // mailbox) is then the activity's own bound, whatever the load of sends and pushes. Runs recorded before
  // the FIFO lock waited on a flag, which let every waiter through at once; they replay as they ran.
  const fifo = patched('fifo-provider-lock');
  const withLock = createFifoLock();
  let providerBusy = false;
  upgradeSendState(state);
  /**
   * Every provider call of the account passes here: one activity at a time, and no more quota units
   * per minute than the account's budget (estimated before, recorded after), so the provider never
   * has to answer 429.
   */
  async function exclusive<T extends { units: number }>(estimate: number, fn: () => Promise<T>): Promise<T> {
    if (fifo) return withLock(() => paced(estimate, fn));
    await condition(() => !providerBusy);
    providerBusy = true;
    try {
      return await paced(estimate, fn);
    } finally {
      providerBusy = false;
    }
  }
  async function paced<T extends { units: number }>(estimate: number, fn: () => Promise<T>): Promise<T> {
    const wait = delayBeforeSpending(state.unitSamples, now(), estimate, pacing.unitsPerMinute * pacing.share);
    if (wait > 0) await sleep(wait);
    const result = await fn();
    state.unitSamples = recordUnits(state.unitSamples, now(), result.units);
    return result;
  }

  setHandler(connectSignal, ({ binding, newCredentials, sendLimit }) => {
    messagesThisRun++;
    state.counters.signals++;
    addBinding(state, binding);
    if (sendLimit) state.sendLimit = sendLimit;
    if (newCredentials && state.status === 'needs_reauth') {
      state.status = 'active';
      state.lastError = null;
    }
    state.syncRequested = true;
  });
  setHandler(disconnectSignal, ({ connectionId }) => {
    messagesThisRun++;
    state.counters.signals++;
    if (removeBinding(state, connectionId) && state.bindings.length === 0) lastBindingLeft = true;
  });
  setHandler(notifySignal, ({ lifecycle }) => {
    messagesThisRun++;
    state.counters.signals++;
    state.counters.notifies++;
    state.syncRequested = true;
    // Graph asks for the subscription to be reauthorized or recreated: renew it now.
    if (lifecycle === 'reauthorizationRequired' || lifecycle === 'subscriptionRemoved') state.watchRenewAt = iso(now());
  });
  setHandler(stateQuery, () => state);
  setHandler(sendUpdate, (args) => send(args), { validator: (args) => validateSend(state, args) });

  async function send(args: SendArgs): Promise<SendResult> {
    messagesThisRun++;
    state.sendSlots = takeSendSlot(state.sendSlots, args.messageId, iso(now()));
    return attemptSend(args.messageId, args.connectionId);
  }

  /** One send attempt through the provider lock: sent, refused (failed), or in doubt (kept and looked up later). */
  async function attemptSend(messageId: string, connectionId: string): Promise<SendResult> {
    try {
      const { units: _units, ...result } = await exclusive(SEND_UNIT_ESTIMATE, () =>
        sending.sendMessage({ accountId: state.accountId, messageId, connectionId, settleMs: timers.sendSettleMs ?? DEFAULT_SEND_SETTLE_MS }),
      );
      state.counters.sends++;
      return result;
    } catch (err) {
      const type = failureType(err);
      // Runs recorded before sends could be in doubt marked every failure failed; they replay as they ran.
      if (type === 'SendInDoubt' || (!SEND_REFUSED.has(type ?? '') && patched('send-fate-unknown'))) return holdInDoubt(messageId, connectionId, err);
      // A send that never reached the provider gives its quota slot back.
      state.sendSlots = releaseSendSlot(state.sendSlots, messageId);
      await bookkeeping.markSendFailed({ messageId, reason: failureReason(err) });
      if (type === 'AuthRevoked') await enterNeedsReauth(failureReason(err));
      throw ApplicationFailure.create({ type: type ?? 'SendFailed', message: failureReason(err), nonRetryable: true });
    }
  }

  async function holdInDoubt(messageId: string, connectionId: string, err: unknown): Promise<SendResult> {
    const reason = failureReason(err);
    const retryAt = iso(now() + Math.max(1_000, retryAfterMs(err) ?? timers.sendSettleMs ?? DEFAULT_SEND_SETTLE_MS));
    state.sendsInDoubt = [...state.sendsInDoubt.filter((d) => d.messageId !== messageId), { messageId, connectionId, retryAt, reason }];
    await bookkeeping.markSendUnknown({ messageId, reason });
    if (causeType(err) === 'AuthRevoked') await enterNeedsReauth(reason);
    return { messageId, status: 'unknown', reason };
  }

  /** Sends in doubt whose time has come: look the Message-ID up again, and send only when it is safe. */
  async function settleSendsInDoubt() {
    for (const doubt of state.sendsInDoubt.filter((d) => due(d.retryAt))) {
      if (state.status !== 'active') return;
      state.sendsInDoubt = state.sendsInDoubt.filter((d) => d.messageId !== doubt.messageId);
      try {
        await attemptSend(doubt.messageId, doubt.connectionId);
      } catch (err) {
        log.warn('a send in doubt was refused by the provider', { accountId: state.accountId, messageId: doubt.messageId, reason: failureReason(err) });
      }
    }
  }

  async function enterNeedsReauth(reason: string) {
    if (state.status === 'needs_reauth') return;
    state.status = 'needs_reauth';
    state.lastError = { kind: 'auth_revoked', reason, at: iso(now()) };
    attributes.publish();
    await bookkeeping.reportNeedsReauth({ accountId: state.accountId, reason });
  }

  async function setStatus(status: MailboxState['status']) {
    if (state.status === status) return;
    state.status = status;
    attributes.publish();
    await bookkeeping.recordAccountStatus({ accountId: state.accountId, status });
  }

  async function runSync() {
    state.syncRequested = false;
    state.counters.syncRuns++;
    for (;;) {
      let page;
      try {
        page = await exclusive(PAGE_UNIT_ESTIMATE, () => syncing.syncPage({ accountId: state.accountId }));
      } catch (err) {
        await onSyncFailure(err);
        return;
      }
      state.counters.pagesApplied++;
      state.counters.messagesSeen += page.seen;
      if (page.unreadable) state.counters.unreadable = (state.counters.unreadable ?? 0) + page.unreadable;
      if (state.status === 'backing_off') await setStatus('active');
      state.backoffUntil = null;
      if (!page.more || lastBindingLeft || state.status !== 'active') break;
    }
    state.lastSyncAt = iso(now());
    state.nextPollAt = iso(now() + timers.fallbackPollMs);
  }

  async function onSyncFailure(err: unknown) {
    const type = failureType(err);
    const reason = failureReason(err);
    if (type === 'AuthRevoked') return enterNeedsReauth(reason);
    // Postgres coming back is not the provider's business: look again soon rather than after the full backoff.
    const retryAfter = type === 'RateLimited' ? retryAfterMs(err) : type === 'DatabaseUnavailableError' ? DATABASE_RETRY_MS : timers.maxBackoffMs;
    state.backoffUntil = iso(now() + Math.min(retryAfter ?? timers.maxBackoffMs, timers.maxBackoffMs));
    state.lastError = { kind: type ?? 'error', reason, at: iso(now()) };
    state.syncRequested = true;
    log.warn('sync backing off', { accountId: state.accountId, type, reason, until: state.backoffUntil });
    await setStatus('backing_off');
  }

  async function renewWatch() {
    try {
      const { expiresAt } = await exclusive(WATCH_UNIT_ESTIMATE, () => watching.ensureWatch({ accountId: state.accountId }));
      state.watchExpiresAt = expiresAt;
      state.watchRenewAt = iso(Math.min(Date.parse(expiresAt) - 3_600_000, now() + timers.watchRenewMs));
    } catch (err) {
      // Without push the fallback poll still syncs; try again after one poll interval.
      state.lastError = { kind: 'watch', reason: failureReason(err), at: iso(now()) };
      state.watchRenewAt = iso(now() + timers.fallbackPollMs);
    }
  }

  const auditEvery = timers.driftAuditMs ?? 6 * 3_600_000;
  // Each audit looks back over two intervals, and never less than an hour, so a slow run leaves no gap.
  const auditWindow = Math.max(2 * auditEvery, 3_600_000);
  async function auditDrift() {
    state.nextAuditAt = iso(now() + auditEvery);
    try {
      const result = await exclusive(PAGE_UNIT_ESTIMATE, () =>
        syncing.auditDrift({ accountId: state.accountId, windowMs: auditWindow, settleMs: Math.min(timers.fallbackPollMs * 2, 600_000) }),
      );
      state.driftFound += result.healed;
      state.lastAudit = { at: iso(now()), checked: result.checked, healed: result.healed };
      if (result.healed > 0) log.warn('drift audit healed undecided messages', { accountId: state.accountId, healed: result.healed });
    } catch (err) {
      await onSyncFailure(err);
    }
  }

  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || messagesThisRun >= input.maxMessagesPerRun;
  const due = (at: string | null) => at !== null && Date.parse(at) <= now();
  const nextWake = () => {
    const doubts = state.status === 'active' ? state.sendsInDoubt.map((d) => d.retryAt) : [];
    const times = [state.nextPollAt, state.watchRenewAt, state.nextAuditAt, state.status === 'backing_off' ? state.backoffUntil : null, ...doubts]
      .filter((t): t is string => t !== null)
      .map((t) => Date.parse(t) - now());
    return Math.max(1, Math.min(timers.fallbackPollMs, ...times));
  };
  const canSync = () => state.status === 'active' || (state.status === 'backing_off' && due(state.backoffUntil));

  /** The main loop: sync, watch, audit and settle sends until the last binding leaves. */
  async function serve() {
    attributes.publish();
    state.nextPollAt ??= iso(now() + timers.fallbackPollMs);
    state.nextAuditAt ??= iso(now() + (timers.driftAuditMs ?? 6 * 3_600_000));
    for (;;) {
      attributes.publish();
      // A run continued as new after its last binding left has nothing to serve.
      if (lastBindingLeft || (state.bindings.length === 0 && patched('no-bindings-ends-run'))) return;
      if (shouldContinueAsNew()) {
        await condition(allHandlersFinished);
        state.counters.runs++;
        await continueAsNew<typeof mailboxWorkflow>({ ...input, state });
      }
      if (state.status !== 'needs_reauth') {
        if (state.watchRenewAt === null || due(state.watchRenewAt)) await renewWatch();
        if (due(state.nextPollAt)) state.syncRequested = true;
        if (state.syncRequested && canSync()) await runSync();
        if (due(state.nextAuditAt) && state.status === 'active') await auditDrift();
        if (state.sendsInDoubt.length && state.status === 'active') await settleSendsInDoubt();
      }
      await condition(
        () => lastBindingLeft || shouldContinueAsNew() || (state.syncRequested && canSync()),
        nextWake(),
      );
    }
  }

  /** A connect that arrived while the workflow was finishing: serve again (with a fresh watch) instead of completing. */
  async function reconnectedWhileFinishing(): Promise<boolean> {
    if (state.bindings.length === 0 || !patched('reconnect-while-finishing')) return false;
    lastBindingLeft = false;
    state.watchRenewAt = null;
    state.syncRequested = true;
    if (state.status === 'disconnected') await setStatus('active');
    return true;
  }

  for (;;) {
    await serve();
    await condition(allHandlersFinished);
    try {
      await exclusive(WATCH_UNIT_ESTIMATE, () => watching.stopWatch({ accountId: state.accountId }));
    } catch (err) {
      log.warn('could not stop the push watch', { accountId: state.accountId, reason: failureReason(err) });
    }
    if (await reconnectedWhileFinishing()) continue;
    state.status = 'disconnected';
    attributes.publish();
    await bookkeeping.recordAccountStatus({ accountId: state.accountId, status: 'disconnected' });
    if (await reconnectedWhileFinishing()) continue;
    return state;
  }
}

function validateSend(state: MailboxState, args: SendArgs): void {
  if (!state.bindings.some((b) => b.connectionId === args.connectionId)) {
    throw ApplicationFailure.create({ type: 'MAILBOX_DISCONNECTED', message: `connection ${args.connectionId} is not connected to this mailbox` });
  }
  if (state.status === 'needs_reauth') {
    throw ApplicationFailure.create({ type: 'REAUTH_REQUIRED', message: `${state.address} needs to be reconnected: the provider refused its credentials` });
  }
  const quota = checkSendQuota({ sentAt: slotTimes(state.sendSlots), limit: state.sendLimit, now: new Date().toISOString() });
  if (!quota.ok) {
    throw ApplicationFailure.create({
      type: 'SEND_LIMIT_REACHED',
      message: `${state.address} reached its limit of ${quota.limit} sends in 24 hours; next send allowed at ${quota.nextAllowedAt}`,
      details: [{ nextAllowedAt: quota.nextAllowedAt, limit: quota.limit }],
    });
  }
}

function applicationCause(err: unknown): ApplicationFailure | null {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause;
  if (err instanceof ApplicationFailure) return err;
  return null;
}
const failureType = (err: unknown) => applicationCause(err)?.type ?? null;
const failureReason = (err: unknown) => applicationCause(err)?.message ?? (err instanceof Error ? err.message : String(err));
function retryAfterMs(err: unknown): number | null {
  const details = applicationCause(err)?.details?.[0] as { retryAfterMs?: number } | undefined;
  return details?.retryAfterMs ?? null;
}
/** What refused a send in doubt (e.g. AuthRevoked), when the activity said. */
function causeType(err: unknown): string | null {
  const details = applicationCause(err)?.details?.[0] as { cause?: string } | undefined;
  return details?.cause ?? failureType(err);
}
