import { describe, expect, test } from 'vitest';
import { compareIds, pickContact } from './contacts';
import { contact } from './test-fixtures';

describe('R9 pickContact', () => {
  const cases: { name: string; ids: [string, string][]; expected: string | null }[] = [
    { name: 'R9: no contacts, no pick', ids: [], expected: null },
    { name: 'R9: a single contact is picked', ids: [['a', '2025-01-01T00:00:00Z']], expected: 'a' },
    {
      name: 'R9: the earliest created wins whatever the input order',
      ids: [['late', '2025-05-01T00:00:00Z'], ['early', '2025-01-01T00:00:00Z'], ['mid', '2025-03-01T00:00:00Z']],
      expected: 'early',
    },
    {
      name: 'R9: a tie goes to the lowest id',
      ids: [['c-b', '2025-01-01T00:00:00Z'], ['c-a', '2025-01-01T00:00:00Z']],
      expected: 'c-a',
    },
    {
      name: 'R9: numeric ids compare as numbers (9 before 10)',
      ids: [['10', '2025-01-01T00:00:00Z'], ['9', '2025-01-01T00:00:00Z']],
      expected: '9',
    },
    {
      name: 'R9: the same instant written in two offsets is a tie',
      ids: [['b', '2025-01-01T02:00:00+02:00'], ['a', '2025-01-01T00:00:00.000Z']],
      expected: 'a',
    },
  ];
  for (const { name, ids, expected } of cases) {
    test(name, () => {
      const pool = ids.map(([id, createdAt]) => contact('L1', id, 'alice@client.test', { createdAt }));
      expect(pickContact(pool)?.id ?? null).toBe(expected);
    });
  }

  test('R9: ids order the same on every worker: numbers first by value, then text by code unit', () => {
    expect(['1a', '10', 'b', '9', '009', 'B', 'a'].sort(compareIds)).toStrictEqual(['009', '9', '10', '1a', 'B', 'a', 'b']);
  });

  test('R9: the id order is total, so any input order gives the same pick', () => {
    const ids = ['10', '9', '1a', '009', 'a', 'B', '0'];
    for (const a of ids) {
      expect(compareIds(a, a)).toBe(0);
      for (const b of ids) {
        expect(Math.sign(compareIds(a, b)) + Math.sign(compareIds(b, a))).toBe(0);
        for (const c of ids) {
          if (compareIds(a, b) < 0 && compareIds(b, c) < 0) expect(compareIds(a, c)).toBeLessThan(0);
        }
      }
    }
  });

  test('R9: a contact with an unreadable creation time is a bug, not a silent pick', () => {
    expect(() => pickContact([contact('L1', 'a', 'x@y.test'), contact('L1', 'b', 'x@y.test', { createdAt: 'yesterday' })])).toThrow(
      /contact.createdAt is not an ISO time/,
    );
  });
});
