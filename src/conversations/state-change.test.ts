import { describe, expect, it } from 'vitest';
import { changeOf, type StoredState } from './state-change';

const stored = (s: Partial<StoredState> = {}): StoredState => ({ read: false, labels: ['INBOX', 'UNREAD'], folder: null, deletion: null, ...s });

describe('a reported message state against the stored one', () => {
  it('marks read: one field, message.updated', () => {
    expect(changeOf(stored(), { read: true, labels: ['INBOX'], deleted: null })).toEqual({
      set: { read: true, labels: ['INBOX'] },
      changed: ['read', 'labels'],
      event: 'message.updated',
    });
  });

  it('changes nothing when the report equals what is stored (our own change coming back), labels in any order', () => {
    expect(changeOf(stored({ read: true, labels: ['INBOX', 'Label_1'] }), { read: true, labels: ['Label_1', 'INBOX'], deleted: null })).toEqual({ set: {}, changed: [], event: null });
  });

  it('moves to the trash and deletes for good as message.deleted; out of the trash as message.updated', () => {
    expect(changeOf(stored(), { deleted: 'trash' })).toEqual({ set: { deletion: 'trash' }, changed: ['deleted'], event: 'message.deleted' });
    expect(changeOf(stored({ deletion: 'trash' }), { deleted: 'permanent' })).toEqual({ set: { deletion: 'permanent' }, changed: ['deleted'], event: 'message.deleted' });
    expect(changeOf(stored({ deletion: 'trash' }), { deleted: null })).toEqual({ set: { deletion: null }, changed: ['deleted'], event: 'message.updated' });
  });

  it('keeps a permanently deleted message as it is', () => {
    expect(changeOf(stored({ deletion: 'permanent' }), { read: true, deleted: null })).toEqual({ set: {}, changed: [], event: null });
  });

  it('records an Outlook move as a folder change', () => {
    expect(changeOf(stored({ labels: null, folder: 'inbox' }), { folder: 'Archive', read: false })).toEqual({ set: { folder: 'Archive' }, changed: ['folder'], event: 'message.updated' });
  });
});
