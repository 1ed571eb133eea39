import { newNumericId } from './ids';
import { emptyCounters, type AccountCounters } from './limits/counters';
import { FaultQueue } from './limits/faults';
import { RollingWindow } from './limits/quota';
import { AttachmentIds } from './mail/attachment-ids';
import type { HistoryRecord } from './mail/history';
import { MailboxStore } from './mail/mailbox-store';
import { GrantStore } from './oauth/grants';
import type { SigningKey } from './oauth/keys';
import type { ResolvedOptions } from './options';
import { PushPublisher, type PushTarget } from './push/publisher';

export interface WatchState {
  topicName: string;
  labelIds: string[];
  labelFilterBehavior: 'include' | 'exclude';
  /** Epoch ms. */
  expiration: number;
}

export interface Account {
  address: string;
  name: string;
  /** Google account id, the `sub` of its ID tokens. */
  sub: string;
  store: MailboxStore;
  attachments: AttachmentIds;
  watch: WatchState | null;
  counters: AccountCounters;
  quota: RollingWindow;
  sends: RollingWindow;
  inFlight: number;
}

export class SandboxError extends Error {
  constructor(
    readonly code: 'not_found' | 'bad_request',
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

const DAY_MS = 86_400_000;

/** Everything the sandbox holds in memory: accounts, grants, faults, push state. */
export class SandboxState {
  readonly accounts = new Map<string, Account>();
  readonly grants: GrantStore;
  readonly faults = new FaultQueue();
  readonly publisher: PushPublisher;
  pushTarget: PushTarget | null;

  constructor(
    readonly options: ResolvedOptions,
    readonly signer: SigningKey,
  ) {
    this.grants = new GrantStore(() => Date.now(), options.accessTokenTtlSeconds);
    const endpoint = options.pushEndpoint;
    this.pushTarget = endpoint ? { url: endpoint, audience: options.pushAudience ?? endpoint } : null;
    this.publisher = new PushPublisher({
      signer,
      identity: { email: options.pushServiceAccount, sub: newNumericId() },
      subscription: options.pushSubscription,
      minIntervalMs: options.pushMinIntervalMs,
      retries: options.pushRetries,
      retryBaseMs: options.pushRetryBaseMs,
      target: () => this.pushTarget,
    });
  }

  account(address: string): Account | undefined {
    return this.accounts.get(address.trim().toLowerCase());
  }

  requireAccount(address: string): Account {
    const account = this.account(address);
    if (!account) throw new SandboxError('not_found', `no sandbox account ${address}`);
    return account;
  }

  ensureAccount(address: string, name?: string): Account {
    const key = address.trim().toLowerCase();
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(key)) throw new SandboxError('bad_request', `not an email address: ${address}`);
    const existing = this.accounts.get(key);
    if (existing) return existing;
    const account: Account = {
      address: key,
      name: name ?? '',
      sub: newNumericId(),
      store: new MailboxStore(this.options.historyRetention, (record) => this.changed(account, record)),
      attachments: new AttachmentIds(),
      watch: null,
      counters: emptyCounters(),
      quota: new RollingWindow(60_000),
      sends: new RollingWindow(DAY_MS),
      inFlight: 0,
    };
    this.accounts.set(key, account);
    return account;
  }

  activeWatch(account: Account): WatchState | null {
    return account.watch && account.watch.expiration > Date.now() ? account.watch : null;
  }

  notify(account: Account): void {
    this.publisher.notify({ address: account.address, historyId: () => account.store.history.current, counters: () => account.counters });
  }

  private changed(account: Account, record: HistoryRecord): void {
    const watch = this.activeWatch(account);
    if (!watch) return;
    if (!watchCovers(watch, record)) {
      account.counters.push.filteredChanges++;
      return;
    }
    account.counters.push.matchedChanges++;
    this.notify(account);
  }
}

/** labelIds + labelFilterBehavior of users.watch: which changes publish a notification. */
export function watchCovers(watch: WatchState, record: HistoryRecord): boolean {
  if (watch.labelIds.length === 0) return true;
  const labels = new Set([...record.message.labelIds, ...(record.labelIds ?? [])]);
  const hit = watch.labelIds.some((l) => labels.has(l));
  return watch.labelFilterBehavior === 'include' ? hit : !hit;
}
