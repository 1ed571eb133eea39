/**
 * The mailbox workflow's steps: status changes, a sync round and its backoff, watch renewal, the drift
 * audit, when to wake, continue-as-new and finishing. The workflow file calls them in order; sends
 * are in `mailbox-sends.ts`, and what a failure means is read in `read-failure.ts`.
 */
import { allHandlersFinished, condition, continueAsNew, patched, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { FailureType } from '../failure-type';
import { bookkeeping, PAGE_UNIT_ESTIMATE, providerActivities, watching, WATCH_UNIT_ESTIMATE, type ProviderActivities } from './activity-proxies';
import { driftAuditSummary, needsReauthSummary, statusSummary, syncPageSummary, watchSummary } from './activity-summaries';
import type { mailboxWorkflow } from './mailbox-workflow';
import { dueWithin, idleEnabled, nextPollAt, pollEveryMs, slackMs, trustAfterRound, type Task } from './idle-schedule';
import { mailboxLog, type MailboxLog } from './mailbox-log';
import { describeMailbox } from './current-details';
import { createProviderGate, type ProviderGate } from './provider-gate';
import { createAttributePublisher } from './publish-attributes';
import { readFailure, syncBackoffMs } from './read-failure';
import { upgradeSendState } from './send-slots';
import { DEFAULT_PACING, type MailboxState, type MailboxStatus, type MailboxTimers, type MailboxWorkflowInput } from './state';

/** One run of the workflow: its input and state, its activities, and what the run counts. */
export interface Mailbox {
  readonly input: MailboxWorkflowInput;
  readonly state: MailboxState;
  readonly timers: MailboxTimers;
  readonly activities: ProviderActivities;
  readonly exclusive: ProviderGate;
  readonly attributes: ReturnType<typeof createAttributePublisher>;
  /** The workflow logger with the account and its connections on every line. */
  readonly log: MailboxLog;
  /** Signals and updates handled in this run: continue-as-new well before the server's cap. */
  messagesThisRun: number;
  lastBindingLeft: boolean;
  /** Idle polling (idle-schedule.ts) is on for this run. */
  readonly idle: boolean;
  /** Pushes counted when the last sync round started: a round with more was announced by a push. */
  notifiesSeen: number;
}

export const now = () => Date.now();
export const iso = (ms: number) => new Date(ms).toISOString();
export const due = (at: string | null) => at !== null && Date.parse(at) <= now();
const DEFAULT_DRIFT_AUDIT_MS = 6 * 3_600_000;

/** Called once, at the workflow's start, before any handler is set (the provider gate asks its patch there). */
export function openMailbox(input: MailboxWorkflowInput): Mailbox {
  const { state, timers } = input;
  const pacing = input.pacing ?? DEFAULT_PACING[state.provider];
  const activities = providerActivities(input.activityTimeoutMs ?? 120_000);
  const exclusive = createProviderGate(state, pacing);
  upgradeSendState(state);
  const idle = idleEnabled(timers, patched('idle-wakes'));
  const attributes = createAttributePublisher(state, patched('backoff-until-attribute'));
  return { input, state, timers, activities, exclusive, attributes, log: mailboxLog(state), messagesThisRun: 0, lastBindingLeft: false, idle, notifiesSeen: state.counters.notifies };
}

/** The Web UI's current details: what the mailbox is doing now, or when it wakes next. */
export const showDetails = ({ state }: Mailbox, nextWakeAt: string, doing?: string): void => setCurrentDetails(describeMailbox(state, nextWakeAt, doing));

/** A timer is due now, or, while the mailbox is awake anyway and push is trusted, soon enough to share this wake. */
export const dueFor = ({ state, timers, idle }: Mailbox, task: Task, at: string | null): boolean => dueWithin(at, slackMs(task, state, timers, idle), now());

export async function setStatus({ state, attributes, log }: Mailbox, status: MailboxStatus): Promise<void> {
  if (state.status === status) return;
  log.info('mailbox status changed', { from: state.status, to: status });
  state.status = status;
  attributes.publish();
  await bookkeeping.recordAccountStatus.executeWithOptions({ summary: statusSummary(status) }, [{ accountId: state.accountId, status }]);
}

export async function enterNeedsReauth({ state, attributes, log }: Mailbox, reason: string): Promise<void> {
  if (state.status === 'needs_reauth') return;
  log.warn('mailbox needs re-authentication', { from: state.status, reason });
  state.status = 'needs_reauth';
  state.lastError = { kind: 'auth_revoked', reason, at: iso(now()) };
  attributes.publish();
  await bookkeeping.reportNeedsReauth.executeWithOptions({ summary: needsReauthSummary() }, [{ accountId: state.accountId, reason }]);
}

/** Timers a run starts with: the first poll and the first drift audit. */
export function startServing({ state, timers, attributes }: Mailbox): void {
  attributes.publish();
  state.nextPollAt ??= iso(now() + timers.fallbackPollMs);
  state.nextAuditAt ??= iso(now() + (timers.driftAuditMs ?? DEFAULT_DRIFT_AUDIT_MS));
}

/**
 * A sync round: pages until the provider has no more, the last binding leaves, or the mailbox stops
 * being active. `polled`: the fallback poll asked for it (idle-schedule.ts reads what it found).
 */
export async function runSync(mailbox: Mailbox, polled = false): Promise<void> {
  const { state, timers, activities, exclusive } = mailbox;
  state.syncRequested = false;
  state.counters.syncRuns++;
  const announced = state.counters.notifies !== mailbox.notifiesSeen;
  mailbox.notifiesSeen = state.counters.notifies;
  let seen = 0;
  const trigger = announced ? 'push' : polled ? 'poll' : 'requested';
  for (let n = 1; ; n++) {
    const summary = syncPageSummary({ provider: state.provider, round: state.counters.syncRuns, page: n, trigger, first: state.counters.pagesApplied === 0 });
    showDetails(mailbox, '', summary);
    let page;
    try {
      page = await exclusive(PAGE_UNIT_ESTIMATE, () => activities.syncing.syncPage.executeWithOptions({ summary }, [{ accountId: state.accountId }]));
    } catch (err) {
      await onSyncFailure(mailbox, err);
      return;
    }
    state.lastPage = { at: iso(now()), seen: page.seen, synced: page.synced ?? 0, skipped: page.skipped ?? 0, unreadable: page.unreadable ?? 0, reconciling: page.reconciling ?? false };
    state.counters.pagesApplied++;
    state.counters.messagesSeen += page.seen;
    seen += page.seen;
    if (page.unreadable) state.counters.unreadable = (state.counters.unreadable ?? 0) + page.unreadable;
    if (state.status === 'backing_off') await setStatus(mailbox, 'active');
    state.backoffUntil = null;
    if (!page.more || mailbox.lastBindingLeft || state.status !== 'active') break;
  }
  state.lastSyncAt = iso(now());
  if (mailbox.idle) {
    const trusted = trustAfterRound(state, { polled, announced, seen });
    if (trusted === false && state.pushHealthy !== false) mailbox.log.warn('a poll found mail no push announced: polling at the fallback rate', { seen });
    if (trusted !== undefined) state.pushHealthy = trusted;
  }
  state.nextPollAt = iso(nextPollAt(state, timers, mailbox.idle, now()));
  mailbox.log.debug('sync round finished', { seen, polled, announced });
}

/** A revoked grant waits for new credentials; any other failure backs off and asks for another sync. */
async function onSyncFailure(mailbox: Mailbox, err: unknown): Promise<void> {
  const { state, timers } = mailbox;
  const failure = readFailure(err);
  const { type, reason } = failure;
  if (type === FailureType.AuthRevoked) return enterNeedsReauth(mailbox, reason);
  state.backoffUntil = iso(now() + syncBackoffMs(failure, timers.maxBackoffMs));
  state.lastError = { kind: type ?? 'error', reason, at: iso(now()) };
  state.syncRequested = true;
  mailbox.log.warn('sync backing off', { type, reason, until: state.backoffUntil });
  await setStatus(mailbox, 'backing_off');
}

export async function renewWatch({ state, timers, exclusive, idle }: Mailbox): Promise<void> {
  try {
    const { expiresAt } = await exclusive(WATCH_UNIT_ESTIMATE, () =>
      watching.ensureWatch.executeWithOptions({ summary: watchSummary(state.provider, 'renew') }, [{ accountId: state.accountId }]),
    );
    state.watchExpiresAt = expiresAt;
    state.watchRenewAt = iso(Math.min(Date.parse(expiresAt) - 3_600_000, now() + timers.watchRenewMs));
  } catch (err) {
    // Without push the fallback poll still syncs; try again after one poll interval.
    state.lastError = { kind: 'watch', reason: readFailure(err).reason, at: iso(now()) };
    state.watchRenewAt = iso(now() + timers.fallbackPollMs);
    if (idle) {
      state.pushHealthy = false;
      state.nextPollAt = iso(Math.min(Date.parse(state.nextPollAt ?? iso(now())), now() + timers.fallbackPollMs));
    }
  }
}

export async function auditDrift(mailbox: Mailbox): Promise<void> {
  const { state, timers, activities, exclusive } = mailbox;
  const auditEvery = timers.driftAuditMs ?? DEFAULT_DRIFT_AUDIT_MS;
  // Each audit looks back over two intervals, and never less than an hour, so a slow run leaves no gap.
  const windowMs = Math.max(2 * auditEvery, 3_600_000);
  state.nextAuditAt = iso(now() + auditEvery);
  try {
    const result = await exclusive(PAGE_UNIT_ESTIMATE, () =>
      activities.syncing.auditDrift.executeWithOptions({ summary: driftAuditSummary(state.provider, windowMs) }, [
        { accountId: state.accountId, windowMs, settleMs: Math.min(timers.fallbackPollMs * 2, 600_000) },
      ]),
    );
    state.driftFound += result.healed;
    state.lastAudit = { at: iso(now()), checked: result.checked, healed: result.healed };
    if (result.healed > 0) mailbox.log.warn('drift audit healed undecided messages', { healed: result.healed });
  } catch (err) {
    await onSyncFailure(mailbox, err);
  }
}

export const canSync = ({ state }: Mailbox) => state.status === 'active' || (state.status === 'backing_off' && due(state.backoffUntil));

/** How long to sleep when nothing asks for work: until the next timer (poll, watch, audit, backoff, send in doubt). */
export function nextWake({ state, timers, idle }: Mailbox): number {
  const doubts = state.status === 'active' ? state.sendsInDoubt.map((d) => d.retryAt) : [];
  const times = [state.nextPollAt, state.watchRenewAt, state.nextAuditAt, state.status === 'backing_off' ? state.backoffUntil : null, ...doubts]
    .filter((t): t is string => t !== null)
    .map((t) => Date.parse(t) - now());
  return Math.max(1, Math.min(pollEveryMs(state, timers, idle), ...times));
}

export const shouldContinueAsNew = (mailbox: Mailbox) => workflowInfo().continueAsNewSuggested || mailbox.messagesThisRun >= mailbox.input.maxMessagesPerRun;

/** Carries the state into a new run once every handler has finished; never returns. */
export async function continueAsNewNow({ input, state }: Mailbox): Promise<never> {
  await condition(allHandlersFinished);
  state.counters.runs++;
  return continueAsNew<typeof mailboxWorkflow>({ ...input, state });
}

export async function stopWatch({ state, exclusive, log }: Mailbox): Promise<void> {
  try {
    await exclusive(WATCH_UNIT_ESTIMATE, () => watching.stopWatch.executeWithOptions({ summary: watchSummary(state.provider, 'stop') }, [{ accountId: state.accountId }]));
  } catch (err) {
    log.warn('could not stop the push watch', { reason: readFailure(err).reason });
  }
}

export async function markDisconnected({ state, attributes, log }: Mailbox): Promise<void> {
  log.info('mailbox disconnected: its last connection left', { from: state.status });
  state.status = 'disconnected';
  attributes.publish();
  await bookkeeping.recordAccountStatus.executeWithOptions({ summary: statusSummary('disconnected') }, [{ accountId: state.accountId, status: 'disconnected' }]);
}

/** A connect that arrived while the workflow was finishing: serve again (with a fresh watch) instead of completing. */
export async function reconnectedWhileFinishing(mailbox: Mailbox): Promise<boolean> {
  const { state } = mailbox;
  if (state.bindings.length === 0 || !patched('reconnect-while-finishing')) return false;
  mailbox.lastBindingLeft = false;
  state.watchRenewAt = null;
  state.syncRequested = true;
  if (state.status === 'disconnected') await setStatus(mailbox, 'active');
  return true;
}
