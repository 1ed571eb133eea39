/**
 * What never reaches a log line: credentials by field name (pino `redact` paths), and credentials
 * inside text (request URLs, error messages, workflow failure reasons) by pattern. Pure: no pino here.
 */

export const CENSOR = '[Redacted]';

/** Field names that hold a credential wherever they appear in a log object. */
export const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'refreshToken',
  'refresh_token',
  'accessToken',
  'access_token',
  'idToken',
  'id_token',
  'clientSecret',
  'client_secret',
  'codeVerifier',
  'code_verifier',
  'browserSecret',
  'secret',
  'password',
  'token',
  'validationToken',
  'apiKey',
  'api_key',
  // Lets whoever holds it complete the activity (added by the Temporal SDK to activity log lines).
  'taskToken',
] as const;

const pathKey = (field: string) => (/^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `["${field}"]`);

/**
 * pino `redact` paths: each secret field at the top of a log object and one level down (pino has
 * no recursive wildcard; errors go through their own serializer), plus any request or response
 * headers (never logged on purpose).
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [pathKey(field).replace(/^\./, ''), `*${pathKey(field)}`]),
  'req.headers',
  'res.headers',
];

/** Query parameters whose values are credentials (OAuth codes and state, tokens, keys, signatures). */
export const SECRET_QUERY_KEYS: ReadonlySet<string> = new Set([
  'code',
  'state',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
  'validationtoken',
  'key',
  'api_key',
  'apikey',
  'sig',
  'signature',
]);

/** Routes whose query string is never logged at all: the OAuth consent round trip (state, code, scope, error). */
const QUERY_NEVER_LOGGED = /^\/v1\/oauth\//i;

/**
 * The request URL as it may be logged: the OAuth routes' query string dropped whole, any other
 * query's credential parameters censored, the path kept as is.
 */
export function safeRequestUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const path = url.slice(0, at);
  if (QUERY_NEVER_LOGGED.test(path)) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      return SECRET_QUERY_KEYS.has(decodeKey(key).toLowerCase()) ? `${key}=${CENSOR}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

const TEXT_PATTERNS: readonly [RegExp, string][] = [
  // key=value in URLs, form bodies and messages quoting them
  [/\b(code|state|token|access_token|refresh_token|id_token|client_secret|code_verifier|validationToken|api_key|apikey)=[^&\s"'<>]+/gi, `$1=${CENSOR}`],
  // "key":"value" in JSON bodies quoted by an error message
  [/"(access_token|refresh_token|id_token|client_secret|code|code_verifier|refreshToken|accessToken|clientSecret)"\s*:\s*"[^"]*"/gi, `"$1":"${CENSOR}"`],
  // Authorization header values
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${CENSOR}`],
  // Google OAuth token shapes: access tokens (ya29.), refresh tokens (1//) and authorization codes (4/)
  [/\bya29\.[A-Za-z0-9._-]+/g, CENSOR],
  [/(^|[^\w/])1\/\/[A-Za-z0-9._-]{8,}/g, `$1${CENSOR}`],
  [/(^|[^\w/])4\/[A-Za-z0-9._-]{8,}/g, `$1${CENSOR}`],
];

/** Censors credentials that appear inside free text. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
