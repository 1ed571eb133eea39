import { describe, expect, it } from 'vitest';
import { matchesQuery, parseQuery, type Searchable } from './search';

const message: Searchable = {
  internalDate: Date.UTC(2026, 0, 10),
  labelIds: ['SENT'],
  rfcMessageId: '<abc.123@crm.example>',
  from: 'Owner <owner@gmail.test>',
  to: 'Pat <pat@client.test>',
  cc: '',
  bcc: 'bcc-123@sync.example',
  subject: 'Quote for March',
  text: 'Please find the quote attached.',
  hasAttachment: true,
};

const match = (q: string) => matchesQuery(parseQuery(q, Date.UTC(2026, 0, 11)), message);

describe('Gmail search', () => {
  it('finds by rfc822msgid with or without brackets, case-insensitively', () => {
    expect(match('rfc822msgid:abc.123@crm.example')).toBe(true);
    expect(match('rfc822msgid:<ABC.123@crm.example>')).toBe(true);
    expect(match('rfc822msgid:other@crm.example')).toBe(false);
  });

  it('bounds by after/before in epoch seconds or dates, and by newer_than', () => {
    const seconds = Date.UTC(2026, 0, 10) / 1000;
    expect(match(`after:${seconds - 1}`)).toBe(true);
    expect(match(`after:${seconds + 1}`)).toBe(false);
    expect(match('before:2026/01/11 after:2026/01/09')).toBe(true);
    expect(match('newer_than:2d')).toBe(true);
    expect(match('older_than:2d')).toBe(false);
  });

  it('matches labels, addresses, subject words, negation and plain text', () => {
    expect(match('in:sent from:owner@gmail.test to:pat')).toBe(true);
    expect(match('in:inbox')).toBe(false);
    expect(match('-in:inbox subject:quote has:attachment')).toBe(true);
    expect(match('bcc:bcc-123@sync.example "find the quote"')).toBe(true);
    expect(match('invoice')).toBe(false);
  });

  it('notes when a query looks in spam and trash', () => {
    expect(parseQuery('in:anywhere rfc822msgid:x@y').includesSpamTrash).toBe(true);
    expect(parseQuery('in:sent').includesSpamTrash).toBe(false);
  });
});
