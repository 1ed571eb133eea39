/**
 * Turns whatever a provider client library threw (gaxios / google-auth-library, the Graph client,
 * MSAL, or a bare network error) into one class that activities map to Temporal retry semantics.
 * Pure: decides from the error's own status, body reason, headers and message. Errors are read by
 * shape, not `instanceof`: googleapis carries its own copy of gaxios, so a class check would miss
 * errors thrown by the other copy.
 */
import type { Provider } from '../provider';

export type ProviderErrorClass =
  | { kind: 'rate_limited'; retryAfterMs: number; reason: string }
  | { kind: 'retryable'; reason: string }
  | { kind: 'auth_revoked'; reason: string }
  | { kind: 'cursor_expired'; reason: string }
  | { kind: 'send_limit'; retryAfterMs: number | null; reason: string }
  | { kind: 'permanent'; status: number | null; reason: string };

/** Per-minute quotas (Gmail per-user units, Graph's 10-minute window) have rolled over by then. */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 60_000;
/** Concurrency limits free up as soon as in-flight requests finish. */
export const CONCURRENCY_RETRY_MS = 5_000;
/** Daily quotas give no reset time; look again hourly rather than hammering or waiting a day. */
export const DAILY_LIMIT_RETRY_MS = 3_600_000;
/** A Gmail "Retry after" this far away on a send is the sending lockout, not a per-minute quota. */
const SEND_LOCKOUT_MS = 3_600_000;

const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const NETWORK_NAMES = new Set(['TimeoutError', 'AbortError', 'FetchError']);
const GMAIL_RATE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded', 'RESOURCE_EXHAUSTED']);
const GMAIL_DAILY_REASONS = new Set(['dailyLimitExceeded', 'dailyLimitExceededUnreg']);
const GMAIL_AUTH_REASONS = new Set(['authError', 'insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'domainPolicy', 'UNAUTHENTICATED']);
const SEND_LIMIT_TEXT = /sending (limit|quota)|limit for sending|mail sending/i;
const GRAPH_THROTTLE_CODES = new Set(['TooManyRequests', 'ApplicationThrottled', 'MailboxConcurrency', 'activityLimitReached']);
const GRAPH_CURSOR_CODES = new Set(['syncstatenotfound', 'syncstateinvalid', 'resyncrequired']);
const GRAPH_AUTH_CODES = new Set(['InvalidAuthenticationToken', 'ErrorAccessDenied', 'accessDenied', 'unauthenticated', 'Authorization_RequestDenied']);
const OAUTH_REVOKED = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required', 'bad_token', 'no_tokens_found', 'refresh_token_expired']);
const OAUTH_RETRYABLE = new Set(['temporarily_unavailable', 'server_error', 'network_error', 'endpoints_resolution_error', 'openid_config_error']);
const OAUTH_CODE_IN_TEXT = /\b(invalid_grant|interaction_required|consent_required|login_required|bad_token|temporarily_unavailable|server_error|network_error|endpoints_resolution_error|openid_config_error|invalid_client|unauthorized_client)\b/;
// Entra codes meaning the grant is gone: expired/revoked refresh token, password reset, consent or MFA needed.
const AADSTS_REVOKED = /AADSTS(70008|700082|700084|50173|65001|50076|50079|50132|50133|50055|70000|50078|50158|53003|530003)\b/;

type Obj = Record<string, unknown>;

interface Facts {
  status: number | null;
  reason: string;
  message: string;
  retryAfterMs: number | null;
  url: string;
}

function obj(value: unknown): Obj | null {
  return typeof value === 'object' && value !== null ? (value as Obj) : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function describe(facts: Facts): string {
  const head = [facts.status, facts.reason].filter((p) => p !== null && p !== '').join(' ');
  return `${head}${facts.message ? `: ${facts.message}` : ''}`.slice(0, 300);
}

function header(headers: unknown, name: string): string | undefined {
  const h = obj(headers);
  if (!h) return undefined;
  if (typeof h.get === 'function') return (h.get as (n: string) => string | null)(name) ?? undefined;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (str(h[key]) ?? undefined);
}

/** Retry-After as a delay in ms: delta-seconds (fractional allowed, as Graph sends) or an HTTP-date. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP-date names its weekday and month; anything else (e.g. "-5") is unreadable, not a year.
  const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Gmail puts the wait only in the text: "User-rate limit exceeded.  Retry after 2024-05-01T10:00:00.000Z". */
function retryAfterText(message: string, now: number): number | null {
  const match = /retry after (\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2}))/i.exec(message);
  const at = match?.[1] ? Date.parse(match[1]) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function networkCode(err: unknown): string | null {
  for (let e = obj(err), depth = 0; e && depth < 5; e = obj(e.cause ?? e.error), depth++) {
    // The Graph client copies the failed fetch's error name into `code`, so look at both.
    for (const value of [str(e.code), str(e.name)]) {
      if (value && (NETWORK_CODES.has(value) || NETWORK_NAMES.has(value))) return value;
      if (value === 'TypeError' && e.message === 'fetch failed') return 'fetch failed';
    }
  }
  return null;
}

function rateLimited(facts: Facts, fallbackMs: number): ProviderErrorClass {
  return { kind: 'rate_limited', retryAfterMs: facts.retryAfterMs ?? fallbackMs, reason: describe(facts) };
}

function fromServerStatus(facts: Facts): ProviderErrorClass {
  const status = facts.status;
  if (status === 408) return { kind: 'retryable', reason: describe(facts) };
  if (status !== null && status >= 500) {
    // 503/504 with Retry-After is the service asking us to slow down, not a random failure.
    return facts.retryAfterMs !== null && (status === 503 || status === 504) ? rateLimited(facts, 0) : { kind: 'retryable', reason: describe(facts) };
  }
  return { kind: 'permanent', status, reason: describe(facts) };
}

function oauthClass(error: string, status: number | null, facts: Facts): ProviderErrorClass {
  if (OAUTH_REVOKED.has(error) || AADSTS_REVOKED.test(facts.message)) return { kind: 'auth_revoked', reason: describe(facts) };
  if (status === 429) return rateLimited(facts, DEFAULT_RATE_LIMIT_RETRY_MS);
  if (OAUTH_RETRYABLE.has(error) || (status !== null && status >= 500)) return { kind: 'retryable', reason: describe(facts) };
  // invalid_client, unauthorized_client: our own OAuth client configuration, not the user's grant.
  return { kind: 'permanent', status, reason: describe(facts) };
}

function isGmailSendLimit(facts: Facts): boolean {
  if (SEND_LIMIT_TEXT.test(facts.message)) return true;
  if (!/\/(messages|drafts)\/send(\?|$)/.test(facts.url)) return false;
  return GMAIL_DAILY_REASONS.has(facts.reason) || (facts.retryAfterMs !== null && facts.retryAfterMs >= SEND_LOCKOUT_MS);
}

function gmailClass(facts: Facts): ProviderErrorClass {
  const { status, reason, message } = facts;
  const limited = status === 429 || (status === 403 && (GMAIL_RATE_REASONS.has(reason) || GMAIL_DAILY_REASONS.has(reason)));
  if (limited && isGmailSendLimit(facts)) return { kind: 'send_limit', retryAfterMs: facts.retryAfterMs, reason: describe(facts) };
  if (limited && GMAIL_DAILY_REASONS.has(reason)) return rateLimited(facts, DAILY_LIMIT_RETRY_MS);
  if (limited) return rateLimited(facts, /concurrent/i.test(message) ? CONCURRENCY_RETRY_MS : DEFAULT_RATE_LIMIT_RETRY_MS);
  // A 401 is read as a dead grant. A reused access token refused early is told apart before this is acted
  // on: it is evicted and the attempt retried with a fresh one (stale-access-token.ts).
  if (status === 401 || (status === 403 && GMAIL_AUTH_REASONS.has(reason))) return { kind: 'auth_revoked', reason: describe(facts) };
  if (status === 404 && /\/history(\?|$)/.test(facts.url)) return { kind: 'cursor_expired', reason: describe(facts) };
  return fromServerStatus(facts);
}

function graphClass(facts: Facts): ProviderErrorClass {
  const { status, reason, message } = facts;
  if (status === 429 || GRAPH_THROTTLE_CODES.has(reason)) {
    return rateLimited(facts, /concurrency/i.test(`${reason} ${message}`) ? CONCURRENCY_RETRY_MS : DEFAULT_RATE_LIMIT_RETRY_MS);
  }
  if (status === 410 || GRAPH_CURSOR_CODES.has(reason.toLowerCase())) return { kind: 'cursor_expired', reason: describe(facts) };
  if (status === 401 || GRAPH_AUTH_CODES.has(reason)) return { kind: 'auth_revoked', reason: describe(facts) };
  return fromServerStatus(facts);
}

function gaxiosFacts(err: Obj, now: number): Facts & { oauthError: string | null } {
  const response = obj(err.response);
  const data = obj(response?.data);
  const apiError = obj(data?.error);
  const first = obj(Array.isArray(apiError?.errors) ? apiError.errors[0] : null);
  const message = str(apiError?.message) ?? str(data?.error_description) ?? str(err.message) ?? '';
  const config = obj(err.config);
  const status = typeof response?.status === 'number' ? response.status : typeof err.status === 'number' ? err.status : null;
  return {
    status,
    reason: str(first?.reason) ?? str(apiError?.status) ?? str(data?.error) ?? '',
    message,
    retryAfterMs: parseRetryAfter(header(response?.headers, 'retry-after'), now) ?? retryAfterText(`${message} ${str(err.message) ?? ''}`, now),
    url: config?.url === undefined ? '' : String(config.url),
    oauthError: str(data?.error),
  };
}

function graphFacts(err: Obj, now: number): Facts {
  const body = obj(safeJson(err.body));
  const inner = obj(body?.innerError);
  const status = typeof err.statusCode === 'number' && err.statusCode > 0 ? err.statusCode : null;
  const code = str(err.code) ?? str(body?.code) ?? '';
  // Graph's 410 can carry the useful code one level down (innerError.code).
  const reason = GRAPH_CURSOR_CODES.has(str(inner?.code)?.toLowerCase() ?? '') ? (str(inner?.code) ?? code) : code;
  // A wrapped client-side error keeps its text only in `body`; an HTTP error's body is the JSON read above.
  const message = str(err.message) ?? (body ? null : str(err.body)) ?? '';
  return { status, reason, message, retryAfterMs: parseRetryAfter(header(err.headers, 'retry-after'), now), url: '' };
}

function safeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function msalClass(err: Obj): ProviderErrorClass {
  const errorCode = str(err.errorCode) ?? '';
  const subError = str(err.subError);
  const status = typeof err.status === 'number' ? err.status : null;
  const text = str(err.errorMessage) ?? str(err.message) ?? '';
  const errorNo = typeof err.errorNo === 'number' || str(err.errorNo) ? `AADSTS${String(err.errorNo)}` : null;
  const message = errorNo && !text.includes(errorNo) ? `${errorNo} ${text}` : text;
  const facts: Facts = { status, reason: subError ? `${errorCode}/${subError}` : errorCode, message, retryAfterMs: null, url: '' };
  if (err.name === 'InteractionRequiredAuthError') return { kind: 'auth_revoked', reason: describe(facts) };
  return oauthClass(errorCode, status, facts);
}

/** The Graph client wraps what its auth provider threw (MSAL) and network failures, keeping only name and text. */
function graphClientSideClass(err: Obj, now: number): ProviderErrorClass {
  const network = networkCode(err);
  if (network) return { kind: 'retryable', reason: `network: ${network}` };
  const facts = graphFacts(err, now);
  if (facts.reason === 'InteractionRequiredAuthError') return { kind: 'auth_revoked', reason: describe(facts) };
  if (/AuthError|ServerError/.test(facts.reason)) {
    return oauthClass(OAUTH_CODE_IN_TEXT.exec(`${facts.message} ${str(err.body) ?? ''}`)?.[1] ?? facts.reason, null, facts);
  }
  return { kind: 'permanent', status: null, reason: describe(facts) };
}

export function classifyProviderError(provider: Provider, err: unknown, now: number): ProviderErrorClass {
  const e = obj(err);
  if (!e) return { kind: 'permanent', status: null, reason: String(err).slice(0, 300) };
  if (typeof e.errorCode === 'string') return msalClass(e);
  if (typeof e.statusCode === 'number') return e.statusCode > 0 ? graphClass(graphFacts(e, now)) : graphClientSideClass(e, now);
  const network = networkCode(err);
  if (obj(e.response) || obj(e.config)) {
    const facts = gaxiosFacts(e, now);
    if (facts.status === null) {
      // No answer from the provider at all (TLS, DNS, socket): nothing says a later attempt would fail too.
      return { kind: 'retryable', reason: network ? `network: ${network}` : `no response: ${facts.message.slice(0, 200)}` };
    }
    if (facts.oauthError) return oauthClass(facts.oauthError, facts.status, facts);
    return provider === 'gmail' ? gmailClass(facts) : graphClass(facts);
  }
  if (network) return { kind: 'retryable', reason: `network: ${network}` };
  return { kind: 'permanent', status: null, reason: (str(e.message) ?? String(err)).slice(0, 300) };
}

/**
 * Whether the provider answered the request that threw (with any status), so the request is over at
 * the provider. A timeout, a reset connection or a dead process give no answer: such a request may
 * still be processed, and a send behind it may still go out (R22).
 */
export function providerAnswered(provider: Provider, err: unknown, now = Date.now()): boolean {
  const e = obj(err);
  if (!e) return false;
  const response = obj(e.response);
  if (typeof response?.status === 'number' && response.status > 0) return true;
  if (typeof e.statusCode === 'number' && e.statusCode > 0) return true;
  // A refused credential is decided before the request is sent on: nothing went out.
  return classifyProviderError(provider, err, now).kind === 'auth_revoked';
}

/** The HTTP status the provider answered with; null when no answer came (network, TLS, token acquisition). */
export function providerStatusOf(err: unknown): number | null {
  const e = obj(err);
  if (!e || typeof e.errorCode === 'string') return null;
  if (typeof e.statusCode === 'number') return e.statusCode > 0 ? e.statusCode : null;
  const status = obj(e.response)?.status;
  return typeof status === 'number' ? status : null;
}
