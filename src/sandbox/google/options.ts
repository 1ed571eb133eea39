import { DEFAULT_QUOTA_UNITS, type GmailMethod } from './limits/quota';

export interface GmailSandboxOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Where Pub/Sub push envelopes go; none means watches work but nothing is pushed. */
  pushEndpoint?: string;
  /** The OIDC token audience; Pub/Sub's default is the push endpoint URL. */
  pushAudience?: string;
  /** How many history records each mailbox keeps (default 10000). */
  historyRetention?: number;
  /** Per-user quota units per rolling minute (default 15000). */
  quotaUnitsPerMinute?: number;
  /** Messages per rolling 24 hours per account (default 2000, Workspace). */
  dailySendLimit?: number;
  /** At most one push per account per this interval (default 1000). */
  pushMinIntervalMs?: number;
  /** Concurrent Gmail requests per user before 429 (default 10). */
  concurrentRequestLimit?: number;
  /** Access token lifetime (default 3600). */
  accessTokenTtlSeconds?: number;
  /** Overrides of the per-method quota units. */
  quotaUnits?: Partial<Record<GmailMethod, number>>;
  /** Push retries after a failed delivery (default 4) and the first backoff (default 250 ms, doubling). */
  pushRetries?: number;
  pushRetryBaseMs?: number;
  /** The service account the push tokens name (default mailsync-push@sandbox.iam.gserviceaccount.com). */
  pushServiceAccount?: string;
  /** The Pub/Sub subscription named in push envelopes. */
  pushSubscription?: string;
  /** Largest accepted request body (default 50 MB: Gmail's 35 MB message limit, base64-encoded). */
  maxRequestBytes?: number;
  /** Largest raw message accepted by messages.send (default 35 MB, as Gmail documents). */
  maxMessageBytes?: number;
}

export type ResolvedOptions = Required<Omit<GmailSandboxOptions, 'pushEndpoint' | 'pushAudience' | 'quotaUnits'>> & {
  pushEndpoint: string | null;
  pushAudience: string | null;
  quotaUnits: Record<GmailMethod, number>;
};

export const DEFAULT_CLIENT_ID = 'mailsync-sandbox';
export const DEFAULT_CLIENT_SECRET = 'mailsync-sandbox-secret';

export function resolveOptions(opts: GmailSandboxOptions): ResolvedOptions {
  return {
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    clientId: opts.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: opts.clientSecret ?? DEFAULT_CLIENT_SECRET,
    pushEndpoint: opts.pushEndpoint ?? null,
    pushAudience: opts.pushAudience ?? null,
    historyRetention: opts.historyRetention ?? 10_000,
    quotaUnitsPerMinute: opts.quotaUnitsPerMinute ?? 15_000,
    dailySendLimit: opts.dailySendLimit ?? 2_000,
    pushMinIntervalMs: opts.pushMinIntervalMs ?? 1_000,
    concurrentRequestLimit: opts.concurrentRequestLimit ?? 10,
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 3_600,
    quotaUnits: { ...DEFAULT_QUOTA_UNITS, ...opts.quotaUnits },
    pushRetries: opts.pushRetries ?? 4,
    pushRetryBaseMs: opts.pushRetryBaseMs ?? 250,
    pushServiceAccount: opts.pushServiceAccount ?? 'mailsync-push@sandbox.iam.gserviceaccount.com',
    pushSubscription: opts.pushSubscription ?? 'projects/sandbox/subscriptions/mailsync',
    maxRequestBytes: opts.maxRequestBytes ?? 50 * 1024 * 1024,
    maxMessageBytes: opts.maxMessageBytes ?? 35 * 1024 * 1024,
  };
}
