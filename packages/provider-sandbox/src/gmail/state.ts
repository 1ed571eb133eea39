import { numericId } from './ids';
import type { SigningKeys } from './keys';
import { Counters } from '../shared/counters';
import { Faults } from '../shared/faults';
import { InFlight } from './limits/in-flight';
import { RollingWindow } from './limits/quota';
import { DEFAULT_UNITS } from './limits/units';
import { TokenStore } from './oauth/tokens';
import { Pusher } from './push/pusher';
import type { HistoryRecord } from './store/history';
import { Mailbox } from './store/mailbox';
import type { GmailMethod, GmailSandboxOptions } from './types';

export interface SandboxConfig {
  clientId: string;
  clientSecret: string;
  historyRetention: number;
  quotaUnitsPerMinute: number;
  dailySendLimit: number;
  concurrentRequestLimit: number;
  units: Record<GmailMethod, number>;
  serviceAccount: string;
}

export class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function resolveConfig(opts: GmailSandboxOptions): SandboxConfig {
  return {
    clientId: opts.clientId ?? 'mailsync-sandbox',
    clientSecret: opts.clientSecret ?? 'mailsync-sandbox-secret',
    historyRetention: opts.historyRetention ?? 10_000,
    quotaUnitsPerMinute: opts.quotaUnitsPerMinute ?? 15_000,
    dailySendLimit: opts.dailySendLimit ?? 2_000,
    concurrentRequestLimit: opts.concurrentRequestLimit ?? 10,
    units: { ...DEFAULT_UNITS, ...opts.quotaUnits },
    serviceAccount: 'gmail-push@mailsync-sandbox.iam.gserviceaccount.com',
  };
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/** Everything one sandbox holds; the HTTP routes and the control API both work on it. */
export class SandboxState {
  readonly mailboxes = new Map<string, Mailbox>();
  readonly tokens: TokenStore;
  readonly counters = new Counters();
  readonly inFlight = new InFlight();
  /** Faults without an operation are for Gmail calls; the token endpoint is only hit when named. */
  readonly faults = new Faults(['oauth.token']);
  readonly pusher: Pusher;
  private readonly quota = new Map<string, RollingWindow>();
  private readonly sends = new Map<string, RollingWindow>();

  constructor(
    readonly config: SandboxConfig,
    readonly keys: SigningKeys,
    opts: GmailSandboxOptions,
  ) {
    this.tokens = new TokenStore(opts.accessTokenTtlSeconds ?? 3600);
    this.pusher = new Pusher({
      minIntervalMs: opts.pushMinIntervalMs ?? 1000,
      retryDelaysMs: opts.pushRetryDelaysMs ?? [200, 1000, 3000],
      keys,
      serviceAccount: config.serviceAccount,
      serviceAccountId: numericId(),
      onOutcome: (address, outcome) => {
        const c = this.counters.of(address);
        if (outcome === 'sent') c.pushesSent += 1;
        else if (outcome === 'delivered') c.pushesDelivered += 1;
        else c.pushesFailed += 1;
      },
    });
    if (opts.pushEndpoint) this.pusher.setEndpoint(opts.pushEndpoint, opts.pushAudience);
  }

  createMailbox(address: string, name: string): Mailbox {
    const key = address.toLowerCase();
    if (this.mailboxes.has(key)) throw new ControlError(`account ${key} already exists`, 409);
    const mailbox = new Mailbox(key, name, numericId(), this.config.historyRetention, (mb, record) => this.onChange(mb, record));
    this.mailboxes.set(key, mailbox);
    return mailbox;
  }

  mailbox(address: string): Mailbox {
    const mailbox = this.mailboxes.get(address.toLowerCase());
    if (!mailbox) throw new ControlError(`no sandbox account ${address}`, 404);
    return mailbox;
  }

  findMailbox(address: string): Mailbox | undefined {
    return this.mailboxes.get(address.toLowerCase());
  }

  quotaWindow(address: string): RollingWindow {
    return getOrCreate(this.quota, address, () => new RollingWindow(MINUTE_MS));
  }

  sendWindow(address: string): RollingWindow {
    return getOrCreate(this.sends, address, () => new RollingWindow(DAY_MS));
  }

  private onChange(mailbox: Mailbox, record: HistoryRecord): void {
    const watch = mailbox.watch;
    if (!watch || watch.expiration <= Date.now()) return;
    if (watch.labelIds.length > 0) {
      const touched = [...record.labelIds, ...record.changed];
      const hit = watch.labelIds.some((l) => touched.includes(l));
      if (hit !== (watch.labelFilterBehavior === 'include')) return;
    }
    this.pusher.notify(mailbox.address, () => mailbox.historyId);
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
