/** Google's classic JSON error envelope (provider-facts 1.6), thrown by handlers and written by the router. */
export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly domain = 'global',
    readonly location?: { location: string; locationType: string },
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }
}

const STATUS_BY_CODE: Record<number, string> = {
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

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: { message: string; domain: string; reason: string; location?: string; locationType?: string }[];
    status: string;
  };
}

export function googleErrorBody(err: GoogleApiError): GoogleErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      errors: [{ message: err.message, domain: err.domain, reason: err.reason, ...(err.location ?? {}) }],
      status: STATUS_BY_CODE[err.code] ?? 'UNKNOWN',
    },
  };
}

export const notFound = (): GoogleApiError => new GoogleApiError(404, 'Requested entity was not found.', 'notFound');

export const invalidArgument = (message: string): GoogleApiError => new GoogleApiError(400, message, 'invalidArgument');

export const badRequest = (message: string): GoogleApiError => new GoogleApiError(400, message, 'badRequest');

export const authError = (): GoogleApiError =>
  new GoogleApiError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    'authError',
    'global',
    { location: 'Authorization', locationType: 'header' },
  );

export const insufficientScopes = (): GoogleApiError =>
  new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions');

/** Gmail states the wait only in the text (two spaces after the period), never in a Retry-After header. */
export function userRateLimit(retryAt: number, code: 403 | 429 = 429, suffix = ''): GoogleApiError {
  const reason = code === 403 ? 'userRateLimitExceeded' : 'rateLimitExceeded';
  return new GoogleApiError(code, `User-rate limit exceeded.  Retry after ${new Date(retryAt).toISOString()}${suffix}`, reason, 'usageLimits');
}

export const tooManyConcurrent = (): GoogleApiError =>
  new GoogleApiError(429, 'Too many concurrent requests for user', 'rateLimitExceeded', 'usageLimits');

export function serverError(code: number): GoogleApiError {
  if (code === 503) return new GoogleApiError(503, 'The service is currently unavailable.', 'backendError');
  if (code === 504) return new GoogleApiError(504, 'Deadline exceeded.', 'backendError');
  return new GoogleApiError(code, 'Backend Error', 'backendError');
}
