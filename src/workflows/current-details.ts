import type { MailboxState } from './state';

/**
 * What an operator reads first about a mailbox in the Temporal Web UI (the workflow's current details,
 * Markdown): status, last sync, next wake, last error, counters. Pure: the loop sets it on every wake.
 */
export function describeMailbox(state: MailboxState, nextWakeAt: string): string {
  const c = state.counters;
  const lines = [
    `**${state.provider}** ${state.address} — **${state.status}**${state.status === 'backing_off' && state.backoffUntil ? ` until ${state.backoffUntil}` : ''}`,
    `- locations: ${[...new Set(state.bindings.map((b) => b.locationId))].sort().join(', ') || '(none)'}`,
    `- last sync: ${state.lastSyncAt ?? 'not yet'}; next wake: ${nextWakeAt}`,
    `- last error: ${state.lastError ? `${state.lastError.kind} at ${state.lastError.at}: ${state.lastError.reason}` : 'none'}`,
    `- push: ${state.pushHealthy === false ? 'not delivering (a poll found mail no push announced): polled at the fallback rate' : state.watchExpiresAt ? `watch until ${state.watchExpiresAt}` : 'no watch yet'}`,
    `- sends in doubt: ${state.sendsInDoubt.length}`,
    `- counters: ${c.syncRuns} syncs, ${c.pagesApplied} pages, ${c.messagesSeen} messages seen, ${c.sends} sends, ${c.notifies} pushes, ${c.unreadable ?? 0} unreadable, run ${c.runs}`,
  ];
  return lines.join('\n');
}
