import { describe, expect, it } from 'vitest';
import { generateMessageId, MessageIdError, normalizeMessageId, splitMessageIds } from './message-id';

describe('generateMessageId', () => {
  it('wraps the caller\'s uuid and domain in angle brackets', () => {
    expect(generateMessageId('mailsync.example', '0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90')).toBe('<0f6c2a7e-5b1d-4c8e-9f3a-2d7b6e1c4a90@mailsync.example>');
  });

  it('accepts a single-label domain', () => {
    expect(generateMessageId('localhost', 'abc')).toBe('<abc@localhost>');
  });

  it.each([
    ['mailsync.example', ''],
    ['mailsync.example', 'a b'],
    ['mailsync.example', 'a@b'],
    ['', 'abc'],
    ['bad domain.example', 'abc'],
    ['<x>.example', 'abc'],
  ])('rejects domain %j with uuid %j', (domain, uuid) => {
    expect(() => generateMessageId(domain, uuid)).toThrow(MessageIdError);
  });
});

describe('splitMessageIds / normalizeMessageId', () => {
  it('splits folded References in order without repeats', () => {
    expect(splitMessageIds('<a@x.example>\r\n <b@y.example>\t<a@x.example>')).toEqual(['<a@x.example>', '<b@y.example>']);
  });

  it('accepts comma-separated and bare ids written by some clients', () => {
    expect(splitMessageIds('a@x.example, b@y.example')).toEqual(['<a@x.example>', '<b@y.example>']);
    expect(splitMessageIds('a@x.example <b@y.example>')).toEqual(['<a@x.example>', '<b@y.example>']);
  });

  it('ignores comments and text that holds no id', () => {
    expect(splitMessageIds('<a@x.example> (message of Tuesday)')).toEqual(['<a@x.example>']);
    expect(splitMessageIds('<a@x.example> ("ana@agency.example" on Tuesday)')).toEqual(['<a@x.example>']);
    expect(splitMessageIds('no ids here')).toEqual([]);
    expect(splitMessageIds(null)).toEqual([]);
  });

  it('normalizes a single id, keeping its case', () => {
    expect(normalizeMessageId('  <CAJx8kq2@Mail.Gmail.com>  ')).toBe('<CAJx8kq2@Mail.Gmail.com>');
    expect(normalizeMessageId('CAJx8kq2@mail.gmail.com')).toBe('<CAJx8kq2@mail.gmail.com>');
    expect(normalizeMessageId('')).toBeNull();
    expect(normalizeMessageId(undefined)).toBeNull();
  });
});
