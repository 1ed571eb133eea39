import { describe, expect, it } from 'vitest';
import { assignThread, normalizeSubject, parseMessageIds, type ThreadCandidate } from './threading';

const index: Record<string, ThreadCandidate[]> = {
  'a@x': [{ threadId: 't1', normalizedSubject: 'quote' }],
  'b@x': [{ threadId: 't2', normalizedSubject: 'invoice' }],
};
const lookup = (id: string) => index[id] ?? [];

describe('normalizeSubject', () => {
  it.each([
    ['Re: Quote', 'quote'],
    ['RE: re: Fwd: Quote', 'quote'],
    ['Fw:  Big   Quote ', 'big quote'],
    ['AW: Angebot', 'angebot'],
    ['Re[2]: Quote', 'quote'],
    ['Quote: re', 'quote: re'],
  ])('%s -> %s', (subject, expected) => expect(normalizeSubject(subject)).toBe(expected));
});

describe('parseMessageIds', () => {
  it('reads bracketed ids in order and bare ids as a fallback', () => {
    expect(parseMessageIds('<a@x> <b@y>')).toEqual(['a@x', 'b@y']);
    expect(parseMessageIds(['<a@x>', '<b@y>'])).toEqual(['a@x', 'b@y']);
    expect(parseMessageIds('a@x')).toEqual(['a@x']);
    expect(parseMessageIds(undefined)).toEqual([]);
  });
});

describe('assignThread', () => {
  it('keeps the requested thread when a reference is in it and the subject matches', () => {
    expect(assignThread({ requestedThreadId: 't1', normalizedSubject: 'quote', inReplyTo: ['<a@x>'], references: [] }, lookup)).toBe('t1');
  });

  it('ignores the requested thread when the subject differs', () => {
    expect(assignThread({ requestedThreadId: 't1', normalizedSubject: 'other', inReplyTo: ['a@x'], references: [] }, lookup)).toBeNull();
  });

  it('ignores the requested thread when nothing referenced is in it, but follows a matching reference', () => {
    expect(assignThread({ requestedThreadId: 't1', normalizedSubject: 'invoice', inReplyTo: [], references: ['b@x'] }, lookup)).toBe('t2');
  });

  it('threads by references alone when no thread is requested', () => {
    expect(assignThread({ normalizedSubject: 'quote', inReplyTo: [], references: ['unknown@x', 'a@x'] }, lookup)).toBe('t1');
  });

  it('prefers the direct parent over older references', () => {
    const both = (id: string) => (id === 'old@x' ? [{ threadId: 'old', normalizedSubject: 's' }] : id === 'new@x' ? [{ threadId: 'new', normalizedSubject: 's' }] : []);
    expect(assignThread({ normalizedSubject: 's', inReplyTo: ['new@x'], references: ['old@x', 'new@x'] }, both)).toBe('new');
  });

  it('starts a new thread without references', () => {
    expect(assignThread({ requestedThreadId: 't1', normalizedSubject: 'quote', inReplyTo: [], references: [] }, lookup)).toBeNull();
  });
});
