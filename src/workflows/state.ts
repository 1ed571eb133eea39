import type { Provider } from '../provider';
import type { UnitSample } from './pacing';

/** The mailbox workflow's state: small, plain JSON (no Map, Set, Date or classes); it crosses continue-as-new. */
export type MailboxStatus = 'active' | 'backing_off' | 'needs_reauth' | 'disconnected';

export interface Binding {
  connectionId: string;
  locationId: string;
  userId: string;
  connectedAt: string;
}

export interface MailboxCounters {
  signals: number;
  notifies: number;
  syncRuns: number;
  pagesApplied: number;
  messagesSeen: number;
  sends: number;
  runs: number;
  /** Messages given up as unreadable after repeated failed reads (decided `skipped`, reason `unreadable`). */
  unreadable?: number;
}

export interface MailboxState {
  accountId: string;
  provider: Provider;
  address: string;
  status: MailboxStatus;
  bindings: Binding[];
  backoffUntil: string | null;
  lastError: { kind: string; reason: string; at: string } | null;
  syncRequested: boolean;
  lastSyncAt: string | null;
  watchExpiresAt: string | null;
  /** When the push watch / subscription is renewed next; null until the first one is made. */
  watchRenewAt: string | null;
  nextPollAt: string | null;
  nextAuditAt: string | null;
  /** Messages the drift audit found undecided and healed, since the account was first connected. */
  driftFound: number;
  lastAudit: { at: string; checked: number; healed: number } | null;
  /** Provider quota units spent in the pacing window (pacing.ts). */
  unitSamples: UnitSample[];
  sendLimit: number;
  /** R16: one slot per send in the last 24 h, held by its message (a failed send gives back its own slot only). */
  sendSlots: SendSlot[];
  /** Runs recorded before slots were kept per message carried bare times; read once into `sendSlots`. */
  sendTimes?: string[];
  /** Sends whose provider call got no answer: looked up again at `retryAt`, then settled as sent or failed. */
  sendsInDoubt: SendInDoubt[];
  /**
   * False once a poll found mail no push announced; true again when a push arrives. Absent: not known
   * yet (trusted once the watch is made; idle-schedule.ts).
   */
  pushHealthy?: boolean;
  /** What the last applied sync page did (the Web UI's current details); absent until one is applied. */
  lastPage?: LastPage;
  counters: MailboxCounters;
}

export interface LastPage {
  at: string;
  seen: number;
  synced: number;
  skipped: number;
  unreadable: number;
  /** The page read a window by received date (first sync, expired cursor), not the change stream. */
  reconciling: boolean;
}

export interface SendSlot {
  messageId: string;
  at: string;
}

export interface SendInDoubt {
  messageId: string;
  connectionId: string;
  retryAt: string;
  reason: string;
}

export interface MailboxTimers {
  fallbackPollMs: number;
  watchRenewMs: number;
  maxBackoffMs: number;
  /** How often the drift audit compares the provider's recent window with what was decided. */
  driftAuditMs?: number;
  /** A send whose provider call got no answer is not sent again until that call's timeout plus this long has passed. */
  sendSettleMs?: number;
  /** The fallback poll while push is trusted (hours; idle-schedule.ts). Absent or not above `fallbackPollMs`: off. */
  idlePollMs?: number;
}

export interface MailboxPacing {
  /** The provider's per-mailbox quota per minute, in its units (Gmail units; Graph requests). */
  unitsPerMinute: number;
  /** Fraction of it mailsync spends (1: the quotas are per project or app, so the user's other mail clients have their own). */
  share: number;
  /**
   * The provider's quota window (default one minute): no window of this length holds more than
   * `unitsPerMinute × share` per minute of it. Graph counts 10,000 requests per 10 minutes.
   */
  windowMs?: number;
}

export interface MailboxWorkflowInput {
  state: MailboxState;
  timers: MailboxTimers;
  /** Continue-as-new after this many signals and updates in one run, well under the server's 10,000 cap. */
  maxMessagesPerRun: number;
  pacing?: MailboxPacing;
  /** Start-to-close of one provider activity attempt (sync page, send); short in tests so a dead worker's task is retried soon. */
  activityTimeoutMs?: number;
}

export function initialState(init: { accountId: string; provider: Provider; address: string; sendLimit: number }): MailboxState {
  return {
    ...init,
    status: 'active',
    bindings: [],
    backoffUntil: null,
    lastError: null,
    syncRequested: true,
    lastSyncAt: null,
    watchExpiresAt: null,
    watchRenewAt: null,
    nextPollAt: null,
    nextAuditAt: null,
    driftFound: 0,
    lastAudit: null,
    unitSamples: [],
    sendSlots: [],
    sendsInDoubt: [],
    counters: { signals: 0, notifies: 0, syncRuns: 0, pagesApplied: 0, messagesSeen: 0, sends: 0, runs: 1 },
  };
}

/** Bind a connection, or refresh it (a reconnect keeps the binding's original connect time). */
export function addBinding(state: MailboxState, binding: Binding): void {
  const existing = state.bindings.find((b) => b.connectionId === binding.connectionId);
  if (existing) return;
  state.bindings.push(binding);
  state.bindings.sort((a, b) => a.connectionId.localeCompare(b.connectionId));
}

export function removeBinding(state: MailboxState, connectionId: string): boolean {
  const before = state.bindings.length;
  state.bindings = state.bindings.filter((b) => b.connectionId !== connectionId);
  return state.bindings.length !== before;
}

export function locationsOf(state: MailboxState): string[] {
  return [...new Set(state.bindings.map((b) => b.locationId))].sort();
}

export const mailboxWorkflowId = (provider: Provider, accountId: string): string => `mailbox/${provider}/${accountId}`;

/** The account a mailbox workflow id names (`mailbox/<provider>/<accountId>`); null for any other workflow id. */
export function accountIdOfMailboxWorkflow(workflowId: string): string | null {
  const match = /^mailbox\/[a-z]+\/(.+)$/.exec(workflowId);
  return match ? match[1]! : null;
}

/** Provider quota per mailbox: Gmail 15,000 units per user per minute; Graph 10,000 requests per 10 minutes. */
export const DEFAULT_PACING: Record<Provider, MailboxPacing> = {
  gmail: { unitsPerMinute: 15_000, share: 0.9 },
  outlook: { unitsPerMinute: 1_000, share: 0.9 },
};
