import { describe, expect, it } from 'vitest';
import { deltaPage, type DeltaRange } from './delta';
import type { FolderChange } from './model';

const changes = (entries: [string, number, FolderChange['kind']][]): Map<string, FolderChange> =>
  new Map(entries.map(([key, seq, kind]) => [key, { seq, kind }]));

function walk(map: Map<string, FolderChange>, start: DeltaRange, size: number): string[][] {
  const pages: string[][] = [];
  let range: DeltaRange | null = start;
  while (range) {
    const page = deltaPage(map, range, size);
    pages.push(page.items.map((i) => `${i.kind === 'removed' ? '-' : '+'}${i.key}`));
    range = page.next;
  }
  return pages;
}

describe('deltaPage', () => {
  it('enumerates the folder in pages on the first round, without removals', () => {
    const map = changes([['a', 1, 'upsert'], ['gone', 2, 'removed'], ['b', 3, 'upsert'], ['c', 4, 'upsert']]);
    expect(walk(map, { base: 0, upto: 4, after: 0 }, 2)).toEqual([['+a', '+b'], ['+c']]);
  });

  it('returns only changes after the base in a later round, removals included', () => {
    const map = changes([['a', 1, 'upsert'], ['b', 5, 'removed'], ['d', 6, 'upsert']]);
    expect(walk(map, { base: 4, upto: 6, after: 0 }, 10)).toEqual([['-b', '+d']]);
  });

  it('leaves changes made after the round started to the next round', () => {
    const map = changes([['a', 1, 'upsert'], ['b', 7, 'upsert']]);
    expect(walk(map, { base: 0, upto: 6, after: 0 }, 10)).toEqual([['+a']]);
  });

  it('skips items the filter rejects but still advances the page cursor', () => {
    const map = changes([['old', 1, 'upsert'], ['new', 2, 'upsert']]);
    const page = deltaPage(map, { base: 0, upto: 2, after: 0 }, 1, (key) => key !== 'old');
    expect(page.items.map((i) => i.key)).toEqual(['new']);
    expect(page.next).toBeNull();
  });

  it('returns an empty final page when nothing changed', () => {
    expect(deltaPage(changes([['a', 1, 'upsert']]), { base: 1, upto: 1, after: 0 }, 5)).toEqual({ items: [], next: null });
  });
});
