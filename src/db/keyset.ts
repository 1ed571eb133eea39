import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { CursorPosition } from '../pagination/cursor';

/**
 * Keyset conditions for cursor pagination (src/pagination/cursor.ts). A timestamptz key is carried as
 * its exact text (UTC, microseconds), never through a JS Date, which would drop the microseconds and
 * make a page repeat rows that share a millisecond.
 */
export const exactTime = (column: string): RawBuilder<string> => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows after `position` in (time column, id column) ascending order. */
export const afterTime = (timeColumn: string, idColumn: string, position: CursorPosition): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) > (${position.key}::timestamptz, ${position.id})`;

/** Rows after `position` in (text column, id column) ascending order. */
export const afterText = (keyColumn: string, idColumn: string, position: CursorPosition): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(keyColumn)}, ${sql.ref(idColumn)}) > (${position.key}, ${position.id})`;
