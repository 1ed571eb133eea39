import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('ignores key order, at every depth', () => {
    const a = { subject: 'Hi', contactId: 'c-1', attachments: [{ filename: 'a.txt', contentType: 'text/plain' }], nested: { z: 1, a: { y: 2, b: 3 } } };
    const b = { nested: { a: { b: 3, y: 2 }, z: 1 }, attachments: [{ contentType: 'text/plain', filename: 'a.txt' }], contactId: 'c-1', subject: 'Hi' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"attachments":[{"contentType":"text/plain","filename":"a.txt"}],"contactId":"c-1","nested":{"a":{"b":3,"y":2},"z":1},"subject":"Hi"}');
  });

  it('keeps array order and tells values apart', () => {
    expect(canonicalJson({ to: ['a@x.test', 'b@x.test'] })).not.toBe(canonicalJson({ to: ['b@x.test', 'a@x.test'] }));
    expect(canonicalJson({ text: 'a' })).not.toBe(canonicalJson({ text: 'b' }));
    expect(canonicalJson({ n: 1 })).not.toBe(canonicalJson({ n: '1' }));
  });

  it('leaves out undefined members as JSON does, and keeps nulls', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes scalars and dates as JSON does', () => {
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(new Date('2026-01-01T00:00:00Z'))).toBe('"2026-01-01T00:00:00.000Z"');
  });
});
