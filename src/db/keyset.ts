import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { timeKey, type CursorPosition } from '../pagination/cursor';

/**
 * Keyset conditions for cursor pagination (src/pagination/cursor.ts). A timestamptz key is carried as
 * its exact text (UTC, microseconds), never through a JS Date, which would drop the microseconds and
 * make a page repeat rows that share a millisecond.
 */
export const exactTime = (column: string): RawBuilder<string> => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows after `position` in (time column, id column) ascending order. */
export const afterTime = (timeColumn: string, idColumn: string, position: CursorPosition): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) > (${timeKey(position.key)}::timestamptz, ${position.id})`;

/** Rows after `position` in (text column, id column) ascending order. */
export const afterText = (keyColumn: string, idColumn: string, position: CursorPosition): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(keyColumn)}, ${sql.ref(idColumn)}) > (${position.key}, ${position.id})`;

/** Two time columns as one key (`<first>|<second>`, exact text), for lists ordered by both and then id. */
export const exactTimes = (first: string, second: string): RawBuilder<string> => sql<string>`${exactTime(first)} || '|' || ${exactTime(second)}`;

/** Rows after `position` in (first time, second time, id) ascending order; the key is what `exactTimes` gave. */
export function afterTimes(first: string, second: string, idColumn: string, position: CursorPosition): RawBuilder<SqlBool> {
  const [a = '', b = ''] = position.key.split('|');
  return sql<SqlBool>`(${sql.ref(first)}, ${sql.ref(second)}, ${sql.ref(idColumn)}) > (${timeKey(a)}::timestamptz, ${timeKey(b)}::timestamptz, ${position.id})`;
}
