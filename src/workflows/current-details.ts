import type { MailboxState } from './state';

/**
 * What an operator reads first about a mailbox in the Temporal Web UI (the workflow's current details,
 * Markdown): status and backoff deadline, last sync, next wake, last error, the last page, counters.
 * Pure: the loop sets it on every wake, and a sync round before each page it asks for (`doing`).
 */
export function describeMailbox(state: MailboxState, nextWakeAt: string, doing?: string): string {
  const c = state.counters;
  const lines = [
    `**${state.provider}** ${state.address} — **${state.status}**${state.status === 'backing_off' && state.backoffUntil ? ` until ${state.backoffUntil}` : ''}`,
    ...(doing ? [`- now: ${doing}`] : []),
    `- locations: ${[...new Set(state.bindings.map((b) => b.locationId))].sort().join(', ') || '(none)'}`,
    `- last sync: ${state.lastSyncAt ?? 'not yet'}; next wake: ${doing ? 'after this' : nextWakeAt}`,
    `- last error: ${state.lastError ? `${state.lastError.kind} at ${state.lastError.at}: ${state.lastError.reason}` : 'none'}`,
    `- last page: ${describeLastPage(state)}`,
    `- push: ${state.pushHealthy === false ? 'not delivering (a poll found mail no push announced): polled at the fallback rate' : state.watchExpiresAt ? `watch until ${state.watchExpiresAt}` : 'no watch yet'}`,
    `- drift audit: ${state.lastAudit ? `${state.lastAudit.checked} checked, ${state.lastAudit.healed} healed at ${state.lastAudit.at}` : 'not yet'}; next at ${state.nextAuditAt ?? '(not set)'}`,
    `- sends in doubt: ${describeSendsInDoubt(state)}`,
    `- counters: ${c.syncRuns} syncs, ${c.pagesApplied} pages, ${c.messagesSeen} messages seen, ${c.sends} sends, ${c.notifies} pushes, ${c.unreadable ?? 0} unreadable, run ${c.runs}`,
  ];
  return lines.join('\n');
}

function describeLastPage({ lastPage: p }: MailboxState): string {
  if (!p) return 'none yet';
  const unreadable = p.unreadable ? `, ${p.unreadable} unreadable` : '';
  return `${p.seen} messages, ${p.synced} synced, ${p.skipped} skipped${unreadable}${p.reconciling ? ' (reconciling)' : ''} at ${p.at}`;
}

function describeSendsInDoubt({ sendsInDoubt }: MailboxState): string {
  if (sendsInDoubt.length === 0) return '0';
  const next = sendsInDoubt.map((d) => d.retryAt).sort()[0];
  const ids = sendsInDoubt.slice(0, 5).map((d) => d.messageId).join(', ');
  return `${sendsInDoubt.length} (next look-up at ${next}: ${ids}${sendsInDoubt.length > 5 ? ', …' : ''})`;
}
