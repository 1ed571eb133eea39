import { describe, expect, it } from 'vitest';
import { nulPath } from './nul-guard';

describe('nulPath', () => {
  it('names the first field holding U+0000, in a value or a key, or gives null', () => {
    expect(nulPath({ a: [1, { b: 'x\u0000' }] })).toEqual(['a', '1', 'b']);
    expect(nulPath({ 'k\u0000': 1 })).toEqual(['k\u0000']);
    expect(nulPath('a\u0000')).toEqual([]);
    expect(nulPath({ a: 'b', c: [null, 1, true] })).toBeNull();
  });

  it('walks a value nested 100,000 levels deep without exhausting the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`) as unknown;
    expect(nulPath(deep)).toEqual(Array.from({ length: 100_000 }, () => '0'));
  });
});
