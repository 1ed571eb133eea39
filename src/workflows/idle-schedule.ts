import type { MailboxState, MailboxTimers } from './state';

/**
 * How often an idle mailbox wakes. While its push watch is trusted, the fallback poll is `idlePollMs`
 * apart (hours) and the poll, the drift audit and the watch renewal share one wake-up: at a wake, each
 * is done if it falls due within a slack; with no push trusted, the poll is `fallbackPollMs` apart and
 * each timer is kept to the minute, as before. Pure: the workflow reads it, a unit test holds it.
 *
 * Push is trusted once the watch is made and until a poll finds mail that no push announced (a push
 * that arrives trusts it again). A mailbox whose pushes stop silently is found out at its next idle
 * poll, so its first unannounced message can wait up to `idlePollMs`; from then on it is polled every
 * `fallbackPollMs` until a push arrives.
 */
/** Idle polling is on for a run with the `idle-wakes` patch and an `idlePollMs` longer than the fallback poll. */
export const idleEnabled = (timers: MailboxTimers, patchedIn: boolean): boolean =>
  patchedIn && timers.idlePollMs !== undefined && timers.idlePollMs > timers.fallbackPollMs;

export const pushTrusted = (state: MailboxState): boolean => state.pushHealthy !== false && state.watchExpiresAt !== null;

/** Time from a sync round's end to the next fallback poll. */
export function pollEveryMs(state: MailboxState, timers: MailboxTimers, idle: boolean): number {
  return idle && pushTrusted(state) ? timers.idlePollMs! : timers.fallbackPollMs;
}

/**
 * When to poll after a sync round. While push is trusted, a round that a push asked for would move the
 * poll away from the audit, and the two would then wake the mailbox apart: the poll is kept on the
 * audit's wake when that comes first (and is not the one about to run in this wake).
 */
export function nextPollAt(state: MailboxState, timers: MailboxTimers, idle: boolean, nowMs: number): number {
  const every = nowMs + pollEveryMs(state, timers, idle);
  if (!idle || !pushTrusted(state) || state.nextAuditAt === null) return every;
  const audit = Date.parse(state.nextAuditAt);
  return audit > nowMs + slackMs('audit', state, timers, idle) && audit < every ? audit : every;
}

export type Task = 'poll' | 'audit' | 'watch';

/**
 * How early a task may run when the mailbox is awake anyway. The poll and the audit: an eighth of the
 * idle poll, so two timers set minutes apart share a wake. The watch renewal: a whole idle poll (a
 * Gmail watch lasts 7 days and a Graph subscription about 3, renewed a day ahead), so it always
 * rides on a poll.
 */
export function slackMs(task: Task, state: MailboxState, timers: MailboxTimers, idle: boolean): number {
  if (!idle || !pushTrusted(state)) return 0;
  return task === 'watch' ? timers.idlePollMs! : Math.floor(timers.idlePollMs! / 8);
}

export const dueWithin = (at: string | null, slack: number, nowMs: number): boolean => at !== null && Date.parse(at) - slack <= nowMs;

/**
 * After a sync round: mail found by a poll that no push announced means the watch is not delivering,
 * so poll at the fallback rate until a push shows it works again.
 */
export function trustAfterRound(state: MailboxState, round: { polled: boolean; announced: boolean; seen: number }): boolean | undefined {
  if (round.polled && !round.announced && round.seen > 0) return false;
  return state.pushHealthy;
}
