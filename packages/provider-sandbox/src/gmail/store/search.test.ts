import { describe, expect, it } from 'vitest';
import { includesSpamTrash, matchesQuery, parseQuery, parseSearchDate, type Searchable } from './search';

const message: Searchable = {
  internalDate: Date.UTC(2026, 4, 10, 12),
  labelIds: new Set(['INBOX', 'UNREAD']),
  rfcMessageId: '<Abc.123@mail.example>',
  from: ['client@example.com'],
  to: ['owner@gmail.test'],
  cc: ['boss@example.com'],
  bcc: [],
  subject: 'Quote for May',
  text: 'Please send the price list',
};

const matches = (q: string) => matchesQuery(parseQuery(q), message);

describe('Gmail search subset', () => {
  it('parses operators, negation and quoted values', () => {
    expect(parseQuery('from:a@b.c -in:sent subject:"hello there" word')).toEqual([
      { negated: false, op: 'from', value: 'a@b.c' },
      { negated: true, op: 'in', value: 'sent' },
      { negated: false, op: 'subject', value: 'hello there' },
      { negated: false, op: 'text', value: 'word' },
    ]);
  });

  it('matches rfc822msgid with or without brackets, case-insensitively', () => {
    expect(matches('rfc822msgid:abc.123@mail.example')).toBe(true);
    expect(matches('rfc822msgid:<Abc.123@mail.example>')).toBe(true);
    expect(matches('rfc822msgid:other@mail.example')).toBe(false);
  });

  it('compares after: inclusively and before: exclusively, in epoch seconds or dates', () => {
    const seconds = message.internalDate / 1000;
    expect(matches(`after:${seconds}`)).toBe(true);
    expect(matches(`after:${seconds + 1}`)).toBe(false);
    expect(matches(`before:${seconds}`)).toBe(false);
    expect(matches('after:2026/05/10 before:2026/05/11')).toBe(true);
    expect(parseSearchDate('2026/5/1')).toBe(Date.UTC(2026, 4, 1));
  });

  it('matches labels, addresses, subject and text', () => {
    expect(matches('in:inbox is:unread')).toBe(true);
    expect(matches('in:sent')).toBe(false);
    expect(matches('-in:sent from:client@example.com')).toBe(true);
    expect(matches('to:boss@example.com')).toBe(true);
    expect(matches('subject:quote price')).toBe(true);
    expect(matches('is:read')).toBe(false);
  });

  it('includes spam and trash only when asked', () => {
    expect(includesSpamTrash(parseQuery('from:x'), false)).toBe(false);
    expect(includesSpamTrash(parseQuery('in:anywhere'), false)).toBe(true);
    expect(includesSpamTrash(parseQuery('in:trash'), false)).toBe(true);
    expect(includesSpamTrash([], true)).toBe(true);
  });
});
