import { describe, expect, it } from 'vitest';
import { HistoryLog } from './history';

const ref = (id: string, labelIds: string[] = ['INBOX']) => ({ id, threadId: id, labelIds });

function log(retention = 100, gaps: number[] = [3]) {
  let i = 0;
  return new HistoryLog(1000, retention, () => gaps[i++ % gaps.length]!);
}

describe('HistoryLog', () => {
  it('gives increasing ids with the gaps it is told and lists records after the start id', () => {
    const h = log(100, [3, 7]);
    h.append('messageAdded', ref('a'));
    h.append('messageAdded', ref('b'));
    h.append('labelRemoved', ref('a', ['INBOX']), ['UNREAD']);
    expect(h.current).toBe(1013);
    const page = h.list({ startHistoryId: 1003, maxResults: 100 });
    expect(page).toEqual({
      kind: 'page',
      records: [
        { id: 1010, type: 'messageAdded', message: ref('b') },
        { id: 1013, type: 'labelRemoved', message: ref('a'), labelIds: ['UNREAD'] },
      ],
      lastId: 1013,
      more: false,
    });
  });

  it('pages by maxResults and continues after the last returned id', () => {
    const h = log();
    for (const id of ['a', 'b', 'c']) h.append('messageAdded', ref(id));
    const first = h.list({ startHistoryId: 1000, maxResults: 2 });
    expect(first).toMatchObject({ kind: 'page', more: true, lastId: 1006 });
    const second = h.list({ startHistoryId: 1000, maxResults: 2, after: 1006 });
    expect(second).toEqual({ kind: 'page', records: [{ id: 1009, type: 'messageAdded', message: ref('c') }], lastId: 1009, more: false });
  });

  it('filters by history type and by label', () => {
    const h = log();
    h.append('messageAdded', ref('a', ['SENT']));
    h.append('labelAdded', ref('b', ['INBOX', 'STARRED']), ['STARRED']);
    const added = h.list({ startHistoryId: 1000, maxResults: 10, types: ['messageAdded'] });
    expect(added.kind === 'page' && added.records.map((r) => r.message.id)).toEqual(['a']);
    const starred = h.list({ startHistoryId: 1000, maxResults: 10, labelId: 'STARRED' });
    expect(starred.kind === 'page' && starred.records.map((r) => r.message.id)).toEqual(['b']);
  });

  it('answers expired for a start older than the retained records, and empty for a future start', () => {
    const h = log(2);
    for (const id of ['a', 'b', 'c']) h.append('messageAdded', ref(id));
    expect(h.floor).toBe(1003);
    expect(h.list({ startHistoryId: 1000, maxResults: 10 })).toEqual({ kind: 'expired' });
    expect(h.list({ startHistoryId: 1003, maxResults: 10 })).toMatchObject({ kind: 'page', records: [{ id: 1006 }, { id: 1009 }] });
    expect(h.list({ startHistoryId: 5000, maxResults: 10 })).toEqual({ kind: 'page', records: [], lastId: null, more: false });
  });

  it('expireAll leaves only the current id as a valid start', () => {
    const h = log();
    h.append('messageAdded', ref('a'));
    h.expireAll();
    expect(h.list({ startHistoryId: 1000, maxResults: 10 })).toEqual({ kind: 'expired' });
    expect(h.list({ startHistoryId: h.current, maxResults: 10 })).toEqual({ kind: 'page', records: [], lastId: null, more: false });
  });
});
