/** Errors in Google's JSON envelope (provider-facts 1.6), thrown by handlers and rendered by the app. */

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: { code: number; message: string; errors: GoogleErrorItem[]; status: string };
}

export class GoogleApiError extends Error {
  readonly headers: Record<string, string>;
  readonly item: GoogleErrorItem;
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly domain = 'global',
    extra: { headers?: Record<string, string>; location?: string; locationType?: string } = {},
  ) {
    super(message);
    this.headers = extra.headers ?? {};
    this.item = { message, domain, reason, ...(extra.location ? { location: extra.location } : {}), ...(extra.locationType ? { locationType: extra.locationType } : {}) };
  }

  toBody(): GoogleErrorBody {
    return { error: { code: this.code, message: this.message, errors: [this.item], status: statusName(this.code) } };
  }
}

export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? (code >= 500 ? 'UNAVAILABLE' : 'UNKNOWN');
}

export const notFound = () => new GoogleApiError(404, 'Requested entity was not found.', 'notFound');

export const badRequest = (message: string, reason = 'badRequest') => new GoogleApiError(400, message, reason);

export const invalidArgument = (message: string) => new GoogleApiError(400, message, 'invalidArgument');

export function authError(): GoogleApiError {
  return new GoogleApiError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'authError',
    'global',
    {
      location: 'Authorization',
      locationType: 'header',
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    },
  );
}

/** Gmail puts the wait only in the text (two spaces before "Retry"), never in a Retry-After header. */
export function userRateLimited(retryAt: Date, suffix = ''): GoogleApiError {
  return new GoogleApiError(429, `User-rate limit exceeded.  Retry after ${retryAt.toISOString()}${suffix}`, 'rateLimitExceeded', 'usageLimits');
}

export const tooManyConcurrent = () =>
  new GoogleApiError(429, 'Too many concurrent requests for user', 'rateLimitExceeded', 'usageLimits');

export function backendError(code: number): GoogleApiError {
  const message = code === 503 ? 'The service is currently unavailable.' : 'Backend Error';
  return new GoogleApiError(code, message, 'backendError');
}
