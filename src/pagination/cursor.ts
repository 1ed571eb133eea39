/**
 * Cursor pagination for every list of the API: an opaque base64url cursor over (sort key, id), the
 * position of the last item a page returned. The next page starts strictly after it, so a list read
 * page by page in its stable order never repeats an item and never skips one that existed when the
 * first page was read. Pure: no database here; repositories turn a position into a keyset condition.
 */
import { DomainError } from '../domain-errors';

/** Where a page ended: the last item's sort key (a timestamp with microseconds, or a number as text) and id. */
export interface CursorPosition {
  key: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 50;

/** `list` names the list the cursor belongs to, so a cursor of one list is refused by another. */
export function encodeCursor(list: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([list, position.key, position.id]), 'utf8').toString('base64url');
}

const invalid = (why: string) => new DomainError('invalid_input', `querystring.cursor ${why}; pass the nextCursor of the previous page, unchanged`, { fields: ['querystring.cursor'] });

export function decodeCursor(list: string, cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) throw invalid('is not a cursor');
  const [owner, key, id] = parsed as [string, string, string];
  if (owner !== list) throw invalid(`belongs to another list (${owner})`);
  // Postgres refuses NUL in text: a position holding one was not given by this API.
  if (key.includes('\u0000') || id.includes('\u0000')) throw invalid('is not a cursor');
  return { key, id };
}

const EXACT_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$/;

/**
 * A time key as the database writes it (UTC, microseconds: `exactTime` in db/keyset.ts). Anything else,
 * such as a forged cursor's `2024-02-30…`, would reach Postgres as a timestamp it refuses.
 */
export function timeKey(key: string): string {
  const millis = `${key.slice(0, 23)}Z`;
  const real = EXACT_TIME.test(key) && !key.startsWith('0000') && !Number.isNaN(Date.parse(millis)) && new Date(millis).toISOString() === millis;
  if (!real) throw invalid('is not a cursor');
  return key;
}

/** The request's cursor as a position, or null for the first page. */
export const startAfter = (list: string, cursor: string | undefined): CursorPosition | null => (cursor ? decodeCursor(list, cursor) : null);

/**
 * A page from rows read with `limit + 1`: the extra row only tells that another page exists, and the
 * cursor is the position of the last row returned.
 */
export function pageOf<T>(list: string, rows: T[], limit: number, positionOf: (row: T) => CursorPosition): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(list, positionOf(last)) : null };
}

/** Compares positions as the database orders them: key, then id (both compared as the strings they are). */
function compare(a: CursorPosition, b: CursorPosition): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/**
 * A page of a list built in memory (e.g. threads grouped from a conversation's messages): sorted by
 * position ascending, the items after the cursor, `limit` of them. Keys must sort as strings
 * (ISO timestamps of one width do).
 */
export function pageOfSorted<T>(list: string, all: T[], limit: number, after: CursorPosition | null, positionOf: (item: T) => CursorPosition): Page<T> {
  const sorted = [...all].sort((a, b) => compare(positionOf(a), positionOf(b)));
  const rest = after ? sorted.filter((item) => compare(positionOf(item), after) > 0) : sorted;
  return pageOf(list, rest.slice(0, limit + 1), limit, positionOf);
}
