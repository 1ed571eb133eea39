import { describe, expect, it } from 'vitest';
import { collectUpdates, stateFromLabels } from './history-updates';

const ref = (id: string, labelIds?: string[]) => ({ id, threadId: `t-${id}`, ...(labelIds ? { labelIds } : {}) });

describe('Gmail history → message updates', () => {
  it('reads read, trash and labels from the labels after each change; the last record about a message wins', () => {
    const updates = collectUpdates([
      { id: '10', labelsRemoved: [{ message: ref('a', ['INBOX']), labelIds: ['UNREAD'] }] },
      { id: '12', labelsAdded: [{ message: ref('b', ['INBOX', 'TRASH']), labelIds: ['TRASH'] }] },
      { id: '14', labelsAdded: [{ message: ref('a', ['INBOX', 'UNREAD', 'Label_7']), labelIds: ['UNREAD', 'Label_7'] }] },
    ]);
    expect(updates).toEqual([
      { providerMessageId: 'a', labels: ['INBOX', 'UNREAD', 'Label_7'], read: false, deleted: null },
      { providerMessageId: 'b', labels: ['INBOX', 'TRASH'], read: true, deleted: 'trash' },
    ]);
  });

  it('keeps a permanent deletion over anything said about the message after it', () => {
    const updates = collectUpdates([
      { id: '20', labelsAdded: [{ message: ref('c', ['TRASH']), labelIds: ['TRASH'] }] },
      { id: '21', messagesDeleted: [{ message: ref('c') }] },
      { id: '22', labelsRemoved: [{ message: ref('c', []), labelIds: ['TRASH'] }] },
    ]);
    expect(updates).toEqual([{ providerMessageId: 'c', labels: ['TRASH'], read: true, deleted: 'permanent' }]);
  });

  it('falls back on the changed labels when a record does not list the message labels', () => {
    expect(collectUpdates([{ id: '30', labelsRemoved: [{ message: ref('d'), labelIds: ['UNREAD', 'TRASH'] }] }])).toEqual([
      { providerMessageId: 'd', read: true, deleted: null },
    ]);
  });

  it('ignores added messages (the page reads those as new)', () => {
    expect(collectUpdates([{ id: '40', messagesAdded: [{ message: ref('e', ['INBOX', 'UNREAD']) }] }])).toEqual([]);
  });

  it('reads a message state from its labels', () => {
    expect(stateFromLabels(['SENT'])).toEqual({ labels: ['SENT'], read: true, deleted: null });
  });
});
