import { describe, expect, it } from 'vitest';
import { assignThread, MAX_THREAD_SIZE, normalizeSubject, type ThreadCandidate, type ThreadIndex } from './threading';

function index(byId: Record<string, ThreadCandidate[]>, sizes: Record<string, number> = {}): ThreadIndex {
  return { byMessageId: (id) => byId[id] ?? [], threadSize: (t) => sizes[t] ?? 1 };
}

describe('normalizeSubject', () => {
  it('drops repeated reply and forward prefixes, case and extra spaces', () => {
    expect(normalizeSubject('Re: Fwd: RE:  Quote   for you')).toBe('quote for you');
    expect(normalizeSubject('AW: Angebot')).toBe('angebot');
    expect(normalizeSubject('Regarding: terms')).toBe('regarding: terms');
  });
});

describe('assignThread', () => {
  const idx = index({ 'p@x': [{ threadId: 'T1', subject: 'Quote' }], 'q@x': [{ threadId: 'T2', subject: 'Other' }] });

  it('uses the requested thread when a reference in it has the same subject', () => {
    expect(assignThread({ requestedThreadId: 'T1', subject: 'Re: Quote', inReplyTo: ['p@x'], references: ['p@x'] }, idx)).toBe('T1');
  });

  it('starts a new thread when the subject changed', () => {
    expect(assignThread({ requestedThreadId: 'T1', subject: 'New topic', inReplyTo: ['p@x'], references: [] }, idx)).toBeNull();
  });

  it('falls back to a referenced message with the same subject when the requested thread does not match', () => {
    expect(assignThread({ requestedThreadId: 'T9', subject: 'Re: Quote', inReplyTo: [], references: ['p@x'] }, idx)).toBe('T1');
  });

  it('starts a new thread without references, even for a known subject', () => {
    expect(assignThread({ subject: 'Quote', inReplyTo: [], references: [] }, idx)).toBeNull();
  });

  it('prefers In-Reply-To, then the latest reference', () => {
    const both = index({ 'a@x': [{ threadId: 'TA', subject: 's' }], 'b@x': [{ threadId: 'TB', subject: 's' }] });
    expect(assignThread({ subject: 's', inReplyTo: [], references: ['a@x', 'b@x'] }, both)).toBe('TB');
    expect(assignThread({ subject: 's', inReplyTo: ['a@x'], references: ['a@x', 'b@x'] }, both)).toBe('TA');
  });

  it('does not add to a thread that reached the size limit', () => {
    const full = index({ 'p@x': [{ threadId: 'T1', subject: 'Quote' }] }, { T1: MAX_THREAD_SIZE });
    expect(assignThread({ requestedThreadId: 'T1', subject: 'Quote', inReplyTo: ['p@x'], references: [] }, full)).toBeNull();
  });
});
