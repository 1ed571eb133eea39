import { describe, expect, it } from 'vitest';
import { classifyDeltaItems } from './delta-items';

describe('Graph delta items → new messages and updates', () => {
  it('reads listed messages as present, each with its read state and folder', () => {
    const result = classifyDeltaItems(
      [
        { id: 'a', conversationId: 'c1', isRead: false, isDraft: false },
        { id: 'b', conversationId: 'c2', isRead: true, isDraft: false },
      ],
      'inbox',
    );
    expect(result.present.map((i) => i.id)).toEqual(['a', 'b']);
    expect(result.updates).toEqual([
      { providerMessageId: 'a', folder: 'inbox', deleted: null, read: false },
      { providerMessageId: 'b', folder: 'inbox', deleted: null, read: true },
    ]);
  });

  it('reports @removed as a message that left the folder, and skips drafts', () => {
    const result = classifyDeltaItems([{ id: 'gone', '@removed': { reason: 'deleted' } }, { id: 'draft', isDraft: true, isRead: true }], 'sentitems');
    expect(result).toEqual({ present: [], updates: [{ providerMessageId: 'gone', left: true }] });
  });

  it('lists a message once even when a page names it twice', () => {
    const result = classifyDeltaItems([{ id: 'a', isRead: false }, { id: 'a', isRead: true }], 'inbox');
    expect(result.present).toEqual([{ id: 'a', isRead: false }]);
    expect(result.updates.map((u) => u.read)).toEqual([false, true]);
  });
});
