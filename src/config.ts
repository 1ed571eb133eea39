import { DEFAULT_POOL_TIMEOUTS, type PoolTimeouts } from './db/timeouts';
import { parseByteSize } from './byte-size';
import { parseDuration } from './duration';
import { GMAIL_UNITS_PER_MINUTE } from './providers/gmail/quota';
import type { TemporalConnectionSettings } from './temporal/connection-options';
import { PRIVATE_ADDRESS_POLICIES, type PrivateAddressPolicy } from './crm-webhooks/private-address';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './logging/levels';

/** Parsed once at start; a missing or bad variable stops the process with a message naming it. */
export interface Config {
  /** production (MAILSYNC_MODE, or NODE_ENV=production): no sandbox defaults, real provider clients required. */
  readonly mode: Mode;
  readonly databaseUrl: string;
  readonly databaseTimeouts: PoolTimeouts;
  readonly temporal: TemporalConnectionSettings & { readonly namespace: string; readonly taskQueue: string };
  readonly api: {
    readonly host: string;
    readonly port: number;
    readonly keys: readonly string[];
    readonly publicUrl: string;
    /** MAILSYNC_OAUTH_REDIRECT_ORIGINS: the only origins an OAuth flow's `redirectAfter` may point at. */
    readonly oauthRedirectOrigins: readonly string[];
  };
  readonly encryptionKeys: string;
  readonly encryptionActiveKey: string | null;
  readonly bccDomain: string;
  readonly messageIdDomain: string;
  readonly webhook: {
    /** MAILSYNC_WEBHOOK_URL / _SECRET: an endpoint kept as the row `whep_env` (created at API start, delivered like any other). */
    readonly url: string | null;
    readonly secret: string | null;
    readonly allowPrivate: PrivateAddressPolicy;
    readonly pollMs: number;
    readonly requestTimeoutMs: number;
    readonly giveUpMs: number;
  };
  readonly google: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly apiRoot: string;
    readonly tokenUrl: string;
    readonly authUrl: string;
    readonly certsUrl: string;
    readonly pushAudience: string;
    /** The service account of the Pub/Sub push subscription: the only `email` a push token may carry. */
    readonly pushServiceAccount: string;
    readonly pubsubTopic: string;
  };
  readonly microsoft: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authority: string;
    readonly graphBaseUrl: string;
    readonly caFile: string | null;
    readonly subscriptionMinutes: number;
  };
  /** Provider quota per mailbox per minute that mailsync paces itself to (90% of it is used). */
  readonly quota: { readonly gmailUnitsPerMinute: number; readonly outlookRequestsPerMinute: number };
  /** How provider messages are read: the memory bound per message and when a message is given up as unreadable. */
  readonly ingest: {
    /** Messages up to this size are read whole; larger ones keep headers and text, attachments as provider references. */
    readonly maxInlineMessageBytes: number;
    /** Failed reads or parses of one message before it is decided skipped / unreadable. */
    readonly unreadableAttempts: number;
    /** Failures closer together than this count as one attempt, so a short provider blip never skips a message. */
    readonly unreadableAttemptGapMs: number;
  };
  /** Memory the worker gives its activities; with the per-activity bound it sets the activity concurrency. */
  readonly workerActivityMemoryBytes: number;
  /** MAILSYNC_WORKER_WORKFLOW_CACHE_MEMORY (256MiB): memory for cached workflows; sets maxCachedWorkflows (workflow-cache-bound.ts). */
  readonly workerWorkflowCacheMemoryBytes: number;
  /** MAILSYNC_WORKER_SHUTDOWN_GRACE (30s): on SIGTERM, running activities get this long to finish. */
  readonly workerShutdownGraceMs: number;
  /** The worker's Prometheus listeners (README, "Metrics"): mailsync's own and the Temporal SDK's; a null port is off. */
  readonly workerMetrics: { readonly host: string; readonly port: number | null; readonly temporalPort: number | null };
  /** LOG_LEVEL (info): the JSON logs of the API and the worker. */
  readonly logLevel: LogLevel;
  readonly timers: {
    readonly fallbackPollMs: number;
    readonly watchRenewMs: number;
    readonly maxBackoffMs: number;
    readonly driftAuditMs: number;
    readonly sendSettleMs: number;
    /** MAILSYNC_IDLE_POLL (6h): the fallback poll while push is trusted; no longer than MAILSYNC_FALLBACK_POLL turns idle polling off. */
    readonly idlePollMs: number;
  };
}

/** What the provider sandbox signs Gmail pushes as; the default outside production. */
export const SANDBOX_PUSH_SERVICE_ACCOUNT = 'gmail-push@mailsync-sandbox.iam.gserviceaccount.com';
/** The provider sandbox's own OAuth clients (the first is the default outside production); all refused in production. */
export const SANDBOX_CLIENT_IDS = ['mailsync-sandbox', '5a1d2c3b-0000-4a4a-9d9d-5a0db0c5e111'] as const;
export const SANDBOX_CLIENT_SECRETS = ['mailsync-sandbox-secret', 'sandbox-client-secret'] as const;

export type Mode = 'production' | 'development';

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`config: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(name, 'is required but not set (see .env.example)');
}

function optional(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function url(env: Env, name: string, fallback?: string): string {
  const value = str(env, name, fallback);
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${value}"`);
  }
  return value;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = str(env, name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(name, `must be a port number 0-65535, got "${raw}"`);
  }
  return value;
}

/** A port, or `off` for a listener that is not started. */
function portOrOff(env: Env, name: string, fallback: number): number | null {
  return env[name]?.trim() === 'off' ? null : port(env, name, fallback);
}

function duration(env: Env, name: string, fallback: string): number {
  const raw = str(env, name, fallback);
  const ms = parseDuration(raw);
  if (ms === null || ms <= 0) throw new ConfigError(name, `must be a duration like 500ms, 30s, 5m, 1h, 1d; got "${raw}"`);
  return ms;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = str(env, name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(name, `must be a positive whole number, got "${raw}"`);
  return value;
}

function bytes(env: Env, name: string, fallback: string, min: number): number {
  const raw = str(env, name, fallback);
  const value = parseByteSize(raw);
  if (value === null || value < min) throw new ConfigError(name, `must be a size of at least ${min} bytes like 4MiB, 512KiB or 4194304; got "${raw}"`);
  return value;
}

function minutes(env: Env, name: string, fallback: number): number {
  const raw = str(env, name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 5 || value > 10_080) throw new ConfigError(name, `must be whole minutes from 5 to 10080, got "${raw}"`);
  return value;
}

function webhook(env: Env): Config['webhook'] {
  const url = optional(env, 'MAILSYNC_WEBHOOK_URL');
  const secret = optional(env, 'MAILSYNC_WEBHOOK_SECRET');
  if (url && !secret) throw new ConfigError('MAILSYNC_WEBHOOK_SECRET', 'is required when MAILSYNC_WEBHOOK_URL is set (a whsec_… Standard Webhooks secret)');
  if (url) new URL(url);
  const allowPrivate = str(env, 'MAILSYNC_WEBHOOK_ALLOW_PRIVATE', 'none');
  if (!PRIVATE_ADDRESS_POLICIES.includes(allowPrivate as PrivateAddressPolicy)) {
    throw new ConfigError('MAILSYNC_WEBHOOK_ALLOW_PRIVATE', `must be one of ${PRIVATE_ADDRESS_POLICIES.join(', ')}; got "${allowPrivate}"`);
  }
  const requestTimeoutMs = duration(env, 'MAILSYNC_WEBHOOK_TIMEOUT', '10s');
  if (requestTimeoutMs > 60_000) throw new ConfigError('MAILSYNC_WEBHOOK_TIMEOUT', 'must be at most 60s (a batch activity must stay short)');
  return {
    url,
    secret,
    allowPrivate: allowPrivate as PrivateAddressPolicy,
    pollMs: duration(env, 'MAILSYNC_WEBHOOK_POLL', '2s'),
    requestTimeoutMs,
    giveUpMs: duration(env, 'MAILSYNC_WEBHOOK_GIVE_UP', '24h'),
  };
}

/** TEMPORAL_TLS / TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY (mTLS) / TEMPORAL_TLS_CA / TEMPORAL_TLS_SERVER_NAME / TEMPORAL_API_KEY. */
function temporalConnection(env: Env): TemporalConnectionSettings {
  const clientCertPath = optional(env, 'TEMPORAL_TLS_CERT');
  const clientKeyPath = optional(env, 'TEMPORAL_TLS_KEY');
  if (Boolean(clientCertPath) !== Boolean(clientKeyPath)) {
    throw new ConfigError(clientCertPath ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT', 'must be set together with the other for mTLS (client certificate and its key)');
  }
  const apiKey = optional(env, 'TEMPORAL_API_KEY');
  const tlsFlag = optional(env, 'TEMPORAL_TLS');
  if (tlsFlag !== null && !['true', 'false'].includes(tlsFlag)) throw new ConfigError('TEMPORAL_TLS', `must be true or false, got "${tlsFlag}"`);
  if (tlsFlag === 'false' && (apiKey || clientCertPath)) throw new ConfigError('TEMPORAL_TLS', 'is false, but an API key or a client certificate needs TLS');
  return {
    address: str(env, 'TEMPORAL_ADDRESS', '127.0.0.1:7233'),
    tls: tlsFlag === 'true' || Boolean(apiKey) || Boolean(clientCertPath),
    clientCertPath,
    clientKeyPath,
    serverCaPath: optional(env, 'TEMPORAL_TLS_CA'),
    serverName: optional(env, 'TEMPORAL_TLS_SERVER_NAME'),
    apiKey,
  };
}

function mode(env: Env): Mode {
  const value = optional(env, 'MAILSYNC_MODE');
  if (value === null) return env.NODE_ENV?.trim() === 'production' ? 'production' : 'development';
  if (value !== 'production' && value !== 'development') throw new ConfigError('MAILSYNC_MODE', `must be production or development, got "${value}"`);
  return value;
}

/**
 * A provider's OAuth client, or the push service account: outside production the sandbox's own by
 * default; in production required, and never the sandbox's (a deployment that would otherwise start
 * and fail at the first consent or push).
 */
function realOrSandbox(env: Env, name: string, current: Mode, sandboxValues: readonly [string, ...string[]]): string {
  if (current !== 'production') return str(env, name, sandboxValues[0]);
  const value = optional(env, name);
  if (value === null) throw new ConfigError(name, 'is required in production (MAILSYNC_MODE=production or NODE_ENV=production); the sandbox default is not used there');
  if (sandboxValues.includes(value)) throw new ConfigError(name, 'is the provider sandbox\'s value, refused in production; set your own');
  return value;
}

function origins(env: Env, name: string): string[] {
  const values = (optional(env, name) ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return values.map((value) => {
    let origin: string;
    try {
      origin = new URL(value).origin;
    } catch {
      throw new ConfigError(name, `holds "${value}", which is not an origin like https://crm.example.com`);
    }
    if (origin !== value.replace(/\/$/, '')) throw new ConfigError(name, `holds "${value}"; give origins only (scheme://host[:port]), e.g. ${origin}`);
    return origin;
  });
}

function logLevel(env: Env): LogLevel {
  const value = str(env, 'LOG_LEVEL', 'info');
  if (!isLogLevel(value)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}; got "${value}"`);
  return value;
}

function apiKeys(env: Env): string[] {
  const keys = str(env, 'MAILSYNC_API_KEYS').split(',').map((k) => k.trim()).filter(Boolean);
  if (keys.some((k) => k.length < 16)) throw new ConfigError('MAILSYNC_API_KEYS', 'holds a key shorter than 16 characters');
  return keys;
}

export function loadConfig(env: Env = process.env): Config {
  const apiPort = port(env, 'API_PORT', 3000);
  const apiHost = str(env, 'API_HOST', '127.0.0.1');
  const publicUrl = url(env, 'MAILSYNC_PUBLIC_URL', `http://${apiHost}:${apiPort}`);
  const current = mode(env);
  const config: Config = {
    mode: current,
    databaseUrl: url(env, 'DATABASE_URL'),
    databaseTimeouts: {
      connectMs: duration(env, 'DATABASE_CONNECT_TIMEOUT', `${DEFAULT_POOL_TIMEOUTS.connectMs}ms`),
      statementMs: duration(env, 'DATABASE_STATEMENT_TIMEOUT', `${DEFAULT_POOL_TIMEOUTS.statementMs}ms`),
      idleInTransactionMs: duration(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT', `${DEFAULT_POOL_TIMEOUTS.idleInTransactionMs}ms`),
    },
    temporal: {
      ...temporalConnection(env),
      namespace: str(env, 'TEMPORAL_NAMESPACE', 'default'),
      taskQueue: str(env, 'TEMPORAL_TASK_QUEUE', 'mailsync'),
    },
    api: { host: apiHost, port: apiPort, keys: apiKeys(env), publicUrl, oauthRedirectOrigins: origins(env, 'MAILSYNC_OAUTH_REDIRECT_ORIGINS') },
    encryptionKeys: str(env, 'MAILSYNC_ENCRYPTION_KEYS'),
    encryptionActiveKey: optional(env, 'MAILSYNC_ENCRYPTION_ACTIVE_KEY'),
    bccDomain: str(env, 'MAILSYNC_BCC_DOMAIN', 'bcc.mailsync.local'),
    messageIdDomain: str(env, 'MAILSYNC_MESSAGE_ID_DOMAIN', 'mailsync.local'),
    webhook: webhook(env),
    google: {
      clientId: realOrSandbox(env, 'GOOGLE_CLIENT_ID', current, SANDBOX_CLIENT_IDS),
      clientSecret: realOrSandbox(env, 'GOOGLE_CLIENT_SECRET', current, SANDBOX_CLIENT_SECRETS),
      apiRoot: url(env, 'GOOGLE_API_ROOT', 'https://gmail.googleapis.com/'),
      tokenUrl: url(env, 'GOOGLE_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
      authUrl: url(env, 'GOOGLE_AUTH_URL', 'https://accounts.google.com/o/oauth2/v2/auth'),
      certsUrl: url(env, 'GOOGLE_CERTS_URL', 'https://www.googleapis.com/oauth2/v3/certs'),
      pushAudience: str(env, 'GMAIL_PUSH_AUDIENCE', `${publicUrl}/webhooks/gmail`),
      pushServiceAccount: realOrSandbox(env, 'GMAIL_PUSH_SERVICE_ACCOUNT', current, [SANDBOX_PUSH_SERVICE_ACCOUNT]),
      pubsubTopic: str(env, 'GMAIL_PUBSUB_TOPIC', 'projects/mailsync/topics/gmail'),
    },
    microsoft: {
      clientId: realOrSandbox(env, 'MICROSOFT_CLIENT_ID', current, SANDBOX_CLIENT_IDS),
      clientSecret: realOrSandbox(env, 'MICROSOFT_CLIENT_SECRET', current, SANDBOX_CLIENT_SECRETS),
      authority: url(env, 'MICROSOFT_AUTHORITY', 'https://login.microsoftonline.com/common'),
      graphBaseUrl: url(env, 'MICROSOFT_GRAPH_URL', 'https://graph.microsoft.com/'),
      caFile: optional(env, 'MICROSOFT_CA_FILE'),
      subscriptionMinutes: minutes(env, 'MICROSOFT_SUBSCRIPTION_MINUTES', 4230),
    },
    quota: {
      gmailUnitsPerMinute: positiveInt(env, 'MAILSYNC_GMAIL_UNITS_PER_MINUTE', GMAIL_UNITS_PER_MINUTE),
      outlookRequestsPerMinute: positiveInt(env, 'MAILSYNC_OUTLOOK_REQUESTS_PER_MINUTE', 1_000),
    },
    ingest: {
      maxInlineMessageBytes: bytes(env, 'MAILSYNC_MAX_INLINE_MESSAGE_BYTES', '4MiB', 64 * 1024),
      unreadableAttempts: positiveInt(env, 'MAILSYNC_UNREADABLE_ATTEMPTS', 3),
      unreadableAttemptGapMs: duration(env, 'MAILSYNC_UNREADABLE_ATTEMPT_GAP', '10s'),
    },
    workerActivityMemoryBytes: bytes(env, 'MAILSYNC_WORKER_ACTIVITY_MEMORY', '512MiB', 1024 * 1024),
    workerWorkflowCacheMemoryBytes: bytes(env, 'MAILSYNC_WORKER_WORKFLOW_CACHE_MEMORY', '256MiB', 0),
    workerShutdownGraceMs: duration(env, 'MAILSYNC_WORKER_SHUTDOWN_GRACE', '30s'),
    workerMetrics: {
      host: str(env, 'MAILSYNC_WORKER_METRICS_HOST', '127.0.0.1'),
      port: portOrOff(env, 'MAILSYNC_WORKER_METRICS_PORT', 9464),
      temporalPort: portOrOff(env, 'MAILSYNC_TEMPORAL_METRICS_PORT', 9465),
    },
    logLevel: logLevel(env),
    timers: {
      fallbackPollMs: duration(env, 'MAILSYNC_FALLBACK_POLL', '5m'),
      watchRenewMs: duration(env, 'MAILSYNC_WATCH_RENEW', '1d'),
      maxBackoffMs: duration(env, 'MAILSYNC_MAX_BACKOFF', '15m'),
      driftAuditMs: duration(env, 'MAILSYNC_DRIFT_AUDIT', '6h'),
      sendSettleMs: duration(env, 'MAILSYNC_SEND_SETTLE', '1m'),
      idlePollMs: duration(env, 'MAILSYNC_IDLE_POLL', '6h'),
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') deepFreeze(child as object);
  }
  return Object.freeze(value);
}

/** For entry points: print the problem and exit instead of a stack trace. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
