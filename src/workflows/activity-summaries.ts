/**
 * The one-line summaries the mailbox workflow gives the activities it schedules (Temporal user metadata:
 * the Web UI shows them on each activity of the timeline, `temporal workflow show` beside each event).
 * They say what the call is for in the operator's words. Pure, and metadata only: a summary is not part
 * of the command a replay compares, so changing one never breaks a recorded history. Never a secret, a
 * body or a provider's error text: history is kept, and read by whoever operates the cluster.
 */
import type { Provider } from '../provider';
import type { MailboxStatus } from './state';

const STREAM: Record<Provider, string> = { gmail: 'Gmail history', outlook: 'Graph delta of every folder' };
const WATCH: Record<Provider, string> = { gmail: 'Gmail push watch', outlook: 'Graph subscription' };

/** Why a sync round runs: a push announced mail, the fallback poll came due, or something asked (connect, a retry after backoff). */
export type SyncTrigger = 'push' | 'poll' | 'requested';

export interface SyncPageContext {
  provider: Provider;
  round: number;
  page: number;
  trigger: SyncTrigger;
  /** No page of the account was applied yet: this one pins the stream's position and starts reading from connect. */
  first: boolean;
}

/**
 * What the page reads is known only to the activity (the cursor lives in Postgres, and may be a
 * reconciliation window); what it found is in the details' `last page` line once it returns.
 */
export function syncPageSummary({ provider, round, page, trigger, first }: SyncPageContext): string {
  const reads = first ? `first sync: pin the ${STREAM[provider]} position, then read mail received since connect` : `${STREAM[provider]} from the stored cursor`;
  return `sync page ${page} of round ${round} (${trigger}): ${reads}`;
}

export const driftAuditSummary = (provider: Provider, windowMs: number): string =>
  `drift audit: ${provider} mail of the last ${Math.round(windowMs / 60_000)} min against what was decided`;

export const watchSummary = (provider: Provider, action: 'renew' | 'stop'): string => `${action} the ${WATCH[provider]}`;

/** `inDoubt`: a send whose provider call went unanswered, looked up by its Message-ID before it is sent again. */
export const sendSummary = (messageId: string, connectionId: string, inDoubt: boolean): string =>
  inDoubt ? `settle send ${messageId} (in doubt): look its Message-ID up, send only if the provider lacks it` : `send ${messageId} for connection ${connectionId}`;

export const flagsSummary = (messageId: string, read: boolean): string => `mark ${messageId} ${read ? 'read' : 'unread'} in the mailbox`;

export const statusSummary = (status: MailboxStatus): string => `record account status: ${status}`;

export const needsReauthSummary = (): string => 'record needs_reauth: the provider refused the credentials';

export const sendOutcomeSummary = (messageId: string, outcome: 'failed' | 'unknown'): string =>
  outcome === 'failed' ? `mark send ${messageId} failed` : `mark send ${messageId} in doubt (unknown)`;
