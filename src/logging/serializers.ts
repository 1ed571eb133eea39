import { safeRequestUrl, scrubText } from './redaction';

/** The parts of a Fastify request a log line keeps: never headers, body or a credential in the query. */
export interface LoggableRequest {
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}

export function requestSerializer(req: LoggableRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : safeRequestUrl(req.url),
    route: req.routeOptions?.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * Errors keep their type, message, stack, codes and cause, with credentials in the text censored.
 * Nothing else: HTTP client errors carry the request they made (headers with the bearer token, a
 * form body with the refresh token and client secret) as enumerable properties.
 */
export function errorSerializer(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? scrubText(err) : err;
  const fields = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = { type: err.constructor?.name ?? err.name, message: scrubText(err.message) };
  if (err.stack) out.stack = scrubText(err.stack);
  for (const key of ['code', 'statusCode', 'status', 'type', 'nonRetryable'] as const) {
    const value = fields[key];
    if (typeof value === 'string') out[key === 'type' ? 'failureType' : key] = scrubText(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  if (err.cause !== undefined && depth < 5) out.cause = errorSerializer(err.cause, depth + 1);
  return out;
}
