import { describe, expect, it } from 'vitest';
import { FilterError, parseFilter } from './filter';

const message = {
  internetMessageId: '<Abc+1@mail.example.com>',
  subject: "Bob's quote",
  isRead: false,
  receivedDateTime: '2026-01-05T10:00:00Z',
  from: { emailAddress: { address: 'bob@example.com' } },
  toRecipients: [{ emailAddress: { address: 'ann@example.com' } }, { emailAddress: { address: 'cy@example.com' } }],
};

const matches = (src: string): boolean => parseFilter(src)(message);

describe('parseFilter', () => {
  it('compares strings case-insensitively and keeps odd characters of message ids', () => {
    expect(matches("internetMessageId eq '<abc+1@mail.example.com>'")).toBe(true);
    expect(matches("internetMessageId eq '<other@x>'")).toBe(false);
  });

  it('reads doubled quotes as one quote', () => {
    expect(matches("subject eq 'Bob''s quote'")).toBe(true);
  });

  it('compares date-times and booleans, with and / or / not and parentheses', () => {
    expect(matches('receivedDateTime ge 2026-01-05T00:00:00Z and isRead eq false')).toBe(true);
    expect(matches('receivedDateTime gt 2026-01-06T00:00:00Z or (not (isRead eq false))')).toBe(false);
  });

  it('follows property paths and any() lambdas over recipients', () => {
    expect(matches("from/emailAddress/address eq 'BOB@example.com'")).toBe(true);
    expect(matches("toRecipients/any(r: r/emailAddress/address eq 'cy@example.com')")).toBe(true);
    expect(matches("toRecipients/any(r:r/emailAddress/address eq 'zed@example.com')")).toBe(false);
  });

  it('supports startswith and contains', () => {
    expect(matches("startswith(subject, 'bob')")).toBe(true);
    expect(matches("contains(subject, 'QUOTE')")).toBe(true);
  });

  it('rejects malformed filters', () => {
    expect(() => parseFilter("subject eq 'open")).toThrow(FilterError);
    expect(() => parseFilter('subject eq')).toThrow(FilterError);
    expect(() => parseFilter("substringof('a', subject)")).toThrow(FilterError);
  });
});
