/**
 * Tells "Postgres is down, restarting, unreachable or too slow right now" from every other database
 * error, so the API can answer 503 and activities can retry instead of giving up. Pure: it reads the
 * error's own shape (node socket codes, Postgres SQLSTATE codes, and the text node-postgres and
 * pg-pool give the client-side failures that carry no code), never `instanceof`, so it needs no driver.
 */
import { FailureType } from '../failure-type';

export type DatabaseErrorClass = { kind: 'unavailable'; reason: string } | { kind: 'other' };

/** The socket never reached the server, or the server went away under it. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLSTATEs the server sends while it cannot serve us now but may in a moment. */
const SQLSTATES: Record<string, string> = {
  '57P01': 'admin shutdown',
  '57P02': 'crash shutdown',
  '57P03': 'cannot connect now',
  '57014': 'statement canceled',
  '53300': 'too many connections',
  '25P03': 'idle in transaction timeout',
};

/** Client-side failures node-postgres and pg-pool raise as plain Errors, without a code. */
const CLIENT_TEXTS: [RegExp, string][] = [
  [/^timeout exceeded when trying to connect$/, 'pool connect timeout'],
  [/^Connection terminated due to connection timeout$/, 'connect timeout'],
  [/^Connection terminated( unexpectedly)?$/, 'connection terminated'],
  [/is not queryable$/, 'connection lost'],
  [/^Query read timeout$/, 'query read timeout'],
];

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | null => (typeof value === 'object' && value !== null ? (value as Obj) : null);

function classifyOne(e: Obj): string | null {
  const code = typeof e.code === 'string' ? e.code : null;
  const message = typeof e.message === 'string' ? e.message : '';
  if (code && SOCKET_CODES.has(code)) return code;
  // Class 08: connection exception (08000, 08003, 08006, 08001, 08004, ...).
  if (code && /^08[0-9A-Z]{3}$/.test(code)) return `${code} connection exception`;
  if (code === '57014' && /statement timeout/.test(message)) return '57014 statement timeout';
  if (code && SQLSTATES[code]) return `${code} ${SQLSTATES[code]}`;
  for (const [pattern, reason] of CLIENT_TEXTS) if (pattern.test(message)) return reason;
  return null;
}

/** Follows `cause` and an AggregateError's `errors` (a refused dual-stack connect), a few levels deep. */
export function classifyDatabaseError(err: unknown): DatabaseErrorClass {
  const queue: { e: unknown; depth: number }[] = [{ e: err, depth: 0 }];
  while (queue.length > 0) {
    const { e, depth } = queue.shift()!;
    const o = obj(e);
    if (!o || depth > 4) continue;
    const reason = classifyOne(o);
    if (reason) return { kind: 'unavailable', reason };
    if (o.cause !== undefined) queue.push({ e: o.cause, depth: depth + 1 });
    if (Array.isArray(o.errors)) for (const inner of o.errors) queue.push({ e: inner, depth: depth + 1 });
  }
  return { kind: 'other' };
}

/** A database outage, raised at the source (the pool in client.ts) so nothing above has to guess. */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly reason: string,
    options: { cause: unknown },
  ) {
    super(`postgres is unavailable: ${reason}`, options);
    this.name = FailureType.DatabaseUnavailable;
  }
}

/** Throws what the pool's caller should see: an outage as DatabaseUnavailableError, anything else unchanged. */
export function rethrowOutage(err: unknown): never {
  const c = classifyDatabaseError(err);
  throw c.kind === 'unavailable' ? new DatabaseUnavailableError(c.reason, { cause: err }) : err;
}
