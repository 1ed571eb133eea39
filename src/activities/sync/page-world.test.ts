import { describe, expect, it } from 'vitest';
import { ALICE, binding, contact, inbound, link, OWNER } from '../../rules/test-fixtures';
import { decisionInputFor, storedRfcMessageId, wouldDuplicate, type PageWorld, type StoredMessageFacts } from './page-world';

const stored = (over: Partial<StoredMessageFacts> = {}): StoredMessageFacts => ({
  id: 'm1', locationId: 'L1', conversationId: 'conv-a1', contactId: 'a1', providerMessageId: 'msg-1', providerThreadId: 'thread-1',
  rfcMessageId: '<m1@client.test>', crm: false, ...over,
});

function world(over: Partial<PageWorld> = {}): PageWorld {
  return {
    account: { address: OWNER, provider: 'gmail' },
    bindings: [binding('c-L1', 'L1')],
    contacts: [contact('L1', 'a1', ALICE), contact('L2', 'a2', ALICE), contact('L1', 'b1', 'bob@client.test')],
    links: [],
    messages: [],
    enrolments: [],
    conversations: [],
    ...over,
  };
}

describe('decisionInputFor', () => {
  it('gives a message the contacts of its addresses in the bound locations only', () => {
    expect(decisionInputFor(world(), inbound()).contactsByEmail).toEqual([contact('L1', 'a1', ALICE)]);
  });

  it('finds the link of a thread the message references through a message the page stored (R21)', () => {
    const w = world({ links: [link('L1', 'conv-a1', 'a1', { providerThreadId: 'thread-1', ruleId: 'R2' })], messages: [stored()] });
    const reply = inbound({ providerMessageId: 'msg-2', providerThreadId: 'thread-9', rfcMessageId: '<m2@x.test>', inReplyTo: '<m1@client.test>' });
    const got = decisionInputFor(w, reply);
    expect(got.threadLinks).toEqual([]);
    expect(got.referencedLinks).toEqual([{ ...link('L1', 'conv-a1', 'a1', { providerThreadId: 'thread-1', ruleId: 'R2' }), rfcMessageId: '<m1@client.test>' }]);
  });

  it('names the locations that hold the provider message, and the CRM record of its Message-ID (R22)', () => {
    const w = world({ messages: [stored({ locationId: 'L1' }), stored({ id: 'crm-1', locationId: 'L2', providerMessageId: null, providerThreadId: null, rfcMessageId: '<s1@mail.test>', crm: true })] });
    expect(decisionInputFor(w, inbound()).alreadyStored).toEqual([{ locationId: 'L1' }]);
    expect(decisionInputFor(w, inbound({ providerMessageId: 'msg-3', rfcMessageId: '<s1@mail.test>' })).crmRecord).toEqual({ locationId: 'L2', messageId: 'crm-1', conversationId: 'conv-a1' });
  });
});

describe('wouldDuplicate', () => {
  const w = world({ messages: [stored(), stored({ id: 'crm-1', providerMessageId: null, rfcMessageId: '<s1@mail.test>', crm: true })] });

  it('refuses the provider message or a synced Message-ID the location holds', () => {
    expect(wouldDuplicate(w, 'L1', 'msg-1', '<other@x.test>')).toBe(true);
    expect(wouldDuplicate(w, 'L1', 'msg-2', '<m1@client.test>')).toBe(true);
  });

  it('takes it in another location, and beside the CRM record of the same Message-ID', () => {
    expect(wouldDuplicate(w, 'L2', 'msg-1', '<m1@client.test>')).toBe(false);
    expect(wouldDuplicate(w, 'L1', 'msg-2', '<s1@mail.test>')).toBe(false);
  });
});

describe('storedRfcMessageId', () => {
  it('makes one from the provider id when the message has none', () => {
    expect(storedRfcMessageId('gmail', 'abc', null)).toBe('<abc@gmail.mailsync.invalid>');
    expect(storedRfcMessageId('gmail', 'abc', '<m@x>')).toBe('<m@x>');
  });
});
