import { describe, expect, it } from 'vitest';
import {
  assignConversation,
  childConversationIndex,
  conversationGuid,
  conversationIdFor,
  newConversationIndex,
  normalizeSubject,
  parentIdsOf,
  type ConversationSource,
} from './conversation';

const NOW = Date.UTC(2026, 0, 5, 10, 0, 0);

function sourceWith(messages: Record<string, { guid: string; index: Buffer }>, topics: Record<string, string>): ConversationSource {
  return { byMessageId: (id) => messages[id], topicOf: (guid) => topics[guid] };
}

describe('normalizeSubject', () => {
  it('strips repeated reply and forward prefixes in several languages', () => {
    expect(normalizeSubject('RE: Fwd: AW:  Quote  for Q3')).toBe('Quote for Q3');
    expect(normalizeSubject('Re:Re: hello')).toBe('hello');
    expect(normalizeSubject('Q3: results')).toBe('Q3: results');
  });
});

describe('conversation index', () => {
  it('keeps the GUID in the header block and grows by five bytes per reply', () => {
    const root = newConversationIndex(NOW);
    const child = childConversationIndex(root, NOW + 60_000);
    expect(root.length).toBe(22);
    expect(child.length).toBe(27);
    expect(conversationGuid(child)).toBe(conversationGuid(root));
    expect(conversationGuid(Buffer.alloc(10))).toBeNull();
  });

  it('gives different conversation ids to the same conversation in different mailboxes', () => {
    const guid = conversationGuid(newConversationIndex(NOW))!;
    const a = conversationIdFor('11111111-1111-4111-8111-111111111111', guid);
    const b = conversationIdFor('22222222-2222-4222-8222-222222222222', guid);
    expect(a).not.toBe(b);
    expect(conversationIdFor('11111111-1111-4111-8111-111111111111', guid)).toBe(a);
  });
});

describe('assignConversation', () => {
  const root = newConversationIndex(NOW);
  const guid = conversationGuid(root)!;
  const source = sourceWith({ '<a@x>': { guid, index: root } }, { [guid]: 'Pricing' });

  it('joins the parent conversation when the topic matches', () => {
    const got = assignConversation({ subject: 'RE: Pricing', parentIds: ['<a@x>'], threadIndex: null }, source, NOW);
    expect(got.guid).toBe(guid);
    expect(got.index.length).toBe(27);
  });

  it('starts a new conversation when the subject was edited', () => {
    const got = assignConversation({ subject: 'RE: Pricing (updated)', parentIds: ['<a@x>'], threadIndex: null }, source, NOW);
    expect(got.guid).not.toBe(guid);
    expect(got.index.length).toBe(22);
  });

  it('starts a new conversation for an unknown parent and no thread index', () => {
    const got = assignConversation({ subject: 'Pricing', parentIds: ['<unknown@x>'], threadIndex: null }, source, NOW);
    expect(got.guid).not.toBe(guid);
  });

  it('adopts the GUID of an incoming Thread-Index from another Exchange mailbox', () => {
    const foreign = childConversationIndex(newConversationIndex(NOW), NOW);
    const got = assignConversation({ subject: 'RE: New topic', parentIds: [], threadIndex: foreign }, source, NOW);
    expect(got.guid).toBe(conversationGuid(foreign));
    expect(got.index.equals(foreign)).toBe(true);
  });
});

describe('parentIdsOf', () => {
  it('puts In-Reply-To first, then References newest first', () => {
    expect(parentIdsOf('<c@x>', ['<a@x>', '<b@x>', '<c@x>'])).toEqual(['<c@x>', '<b@x>', '<a@x>']);
  });
});
