import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-errors';
import { decodeCursor, encodeCursor, pageOf, pageOfSorted, startAfter, timeKey } from './cursor';

const position = (n: { at: string; id: string }) => ({ key: n.at, id: n.id });

describe('cursor', () => {
  it('round-trips a position and is opaque base64url', () => {
    const cursor = encodeCursor('connections', { key: '2026-11-29T14:58:07.123456Z', id: 'conn_a' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('connections', cursor)).toEqual({ key: '2026-11-29T14:58:07.123456Z', id: 'conn_a' });
  });

  it('refuses a cursor of another list, and one that is not a cursor, as invalid input naming the field', () => {
    const other = encodeCursor('contacts', { key: 'k', id: 'i' });
    for (const bad of [other, 'not-a-cursor', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url')]) {
      let thrown: unknown;
      try {
        decodeCursor('connections', bad);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect((thrown as DomainError).kind).toBe('invalid_input');
      expect((thrown as DomainError).details).toEqual({ fields: ['querystring.cursor'] });
    }
  });

  it('starts at the beginning without a cursor', () => {
    expect(startAfter('x', undefined)).toBeNull();
  });

  it('gives a next cursor only when a row beyond the limit was read', () => {
    const rows = [{ at: 'a', id: '1' }, { at: 'b', id: '2' }, { at: 'c', id: '3' }];
    const full = pageOf('x', rows, 2, position);
    expect(full.items).toEqual(rows.slice(0, 2));
    expect(decodeCursor('x', full.nextCursor!)).toEqual({ key: 'b', id: '2' });
    expect(pageOf('x', rows.slice(0, 2), 2, position)).toEqual({ items: rows.slice(0, 2), nextCursor: null });
    expect(pageOf('x', [], 2, position)).toEqual({ items: [], nextCursor: null });
  });

  it('pages an in-memory list by (key, id) with no repeats or gaps, items added between pages coming after the cursor or not at all', () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ at: `2026-01-0${(i % 3) + 1}T00:00:00.000000Z`, id: `id-${i}` }));
    const seen: string[] = [];
    let after = null as ReturnType<typeof startAfter>;
    let list = all;
    for (let guard = 0; guard < 10; guard++) {
      const page = pageOfSorted('threads', list, 3, after, position);
      seen.push(...page.items.map((i) => i.id));
      if (!page.nextCursor) break;
      after = decodeCursor('threads', page.nextCursor);
      list = [...list, { at: '2026-01-01T00:00:00.000000Z', id: `early-${guard}` }];
    }
    const expected = [...all].sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1)).map((i) => i.id);
    expect(seen).toEqual(expected);
  });

  it('refuses a forged position Postgres would refuse: NUL in it, or a time key the database never wrote', () => {
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof DomainError && err.kind === 'invalid_input';
      }
      return false;
    };
    expect(refused(() => decodeCursor('x', encodeCursor('x', { key: 'k', id: 'a\u0000b' })))).toBe(true);
    expect(refused(() => decodeCursor('x', encodeCursor('x', { key: 'k\u0000', id: 'a' })))).toBe(true);
    expect(timeKey('2026-11-29T14:58:07.123456Z')).toBe('2026-11-29T14:58:07.123456Z');
    for (const bad of ['', 'garbage', '2024-02-30T00:00:00.000000Z', '2024-13-01T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2026-11-29T14:58:07.123Z', '2026-11-29T25:00:00.000000Z', '9223372036854775808']) {
      expect(refused(() => timeKey(bad)), bad).toBe(true);
    }
  });
});
