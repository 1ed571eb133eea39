import { describe, expect, it } from 'vitest';
import { groupThreads, type ThreadMember } from './threads';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 12, minute));
const msg = (id: string, minute: number, over: Partial<ThreadMember> = {}): ThreadMember => ({
  id, providerThreadId: null, rfcMessageId: `<${id}@x>`, inReplyTo: null, references: [], messageAt: at(minute), subject: id, ...over,
});

describe('R21: a conversation grouped into threads', () => {
  it('R21: one thread per provider thread, oldest first, messages oldest first', () => {
    const threads = groupThreads([msg('b2', 3, { providerThreadId: 'tb' }), msg('a1', 1, { providerThreadId: 'ta' }), msg('b1', 2, { providerThreadId: 'tb' }), msg('a2', 4, { providerThreadId: 'ta' })]);
    expect(threads.map((t) => [t.threadKey, t.messageIds, t.subject, t.messageCount])).toEqual([
      ['ta', ['a1', 'a2'], 'a1', 2],
      ['tb', ['b1', 'b2'], 'b1', 2],
    ]);
    expect(threads[0]).toMatchObject({ firstMessageAt: at(1), lastMessageAt: at(4), providerThreadIds: ['ta'] });
  });

  it('R21: a reply the provider put in another thread (subject edited, Outlook regrouped) joins the thread it answers, by In-Reply-To or References', () => {
    const threads = groupThreads([
      msg('q', 1, { providerThreadId: 't1' }),
      msg('r', 2, { providerThreadId: 't2', inReplyTo: '<q@x>' }),
      msg('s', 3, { providerThreadId: 't3', references: ['<q@x>', '<r@x>'] }),
      msg('other', 4, { providerThreadId: 't4' }),
    ]);
    expect(threads.map((t) => [t.threadKey, t.providerThreadIds, t.messageIds])).toEqual([
      ['t1', ['t1', 't2', 't3'], ['q', 'r', 's']],
      ['t4', ['t4'], ['other']],
    ]);
  });

  it('R21: a CRM send not yet given a provider thread is keyed by its Message-ID, and its reply joins it', () => {
    const threads = groupThreads([msg('sent', 1), msg('reply', 2, { providerThreadId: 'tr', inReplyTo: '<sent@x>' })]);
    expect(threads).toEqual([expect.objectContaining({ threadKey: 'tr', providerThreadIds: ['tr'], messageIds: ['sent', 'reply'] })]);
    expect(groupThreads([msg('alone', 1)])[0]!.threadKey).toBe('<alone@x>');
    expect(groupThreads([])).toEqual([]);
  });
});
