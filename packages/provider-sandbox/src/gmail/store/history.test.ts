import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, pageHistory, toHistoryJson, type HistoryRecord } from './history';

const rec = (id: number, kind: HistoryRecord['kind'], labelIds: string[] = ['INBOX'], changed: string[] = []): HistoryRecord => ({
  id, kind, messageId: `m${id}`, threadId: 't', labelIds, changed,
});

const records = [rec(10, 'messageAdded'), rec(13, 'labelAdded', ['INBOX', 'STARRED'], ['STARRED']), rec(20, 'messageAdded', ['SENT']), rec(31, 'messageDeleted', [])];

describe('pageHistory', () => {
  it('returns records after the start id, oldest first', () => {
    const page = pageHistory(records, 5, { startHistoryId: 10, maxResults: 100 });
    expect(page).toEqual({ expired: false, records: records.slice(1) });
  });

  it('pages with a last id only when more records remain', () => {
    const first = pageHistory(records, 5, { startHistoryId: 5, maxResults: 2 });
    expect(first).toEqual({ expired: false, records: records.slice(0, 2), lastId: 13 });
    const second = pageHistory(records, 5, { startHistoryId: 5, afterRecordId: 13, maxResults: 2 });
    expect(second).toEqual({ expired: false, records: records.slice(2) });
  });

  it('is expired below the floor, and empty at or beyond the newest id', () => {
    expect(pageHistory(records, 9, { startHistoryId: 8, maxResults: 10 })).toEqual({ expired: true });
    expect(pageHistory(records, 9, { startHistoryId: 9, maxResults: 10 })).toMatchObject({ records: records });
    expect(pageHistory(records, 9, { startHistoryId: 500, maxResults: 10 })).toEqual({ expired: false, records: [] });
  });

  it('filters by type and by label (current or changed)', () => {
    expect(pageHistory(records, 0, { startHistoryId: 0, historyTypes: ['messageAdded'], maxResults: 10 })).toMatchObject({ records: [records[0], records[2]] });
    expect(pageHistory(records, 0, { startHistoryId: 0, labelId: 'STARRED', maxResults: 10 })).toMatchObject({ records: [records[1]] });
  });
});

describe('toHistoryJson', () => {
  it('renders each kind in its typed field with string ids', () => {
    expect(toHistoryJson(records[1]!)).toEqual({
      id: '13',
      messages: [{ id: 'm13', threadId: 't' }],
      labelsAdded: [{ message: { id: 'm13', threadId: 't', labelIds: ['INBOX', 'STARRED'] }, labelIds: ['STARRED'] }],
    });
    expect(toHistoryJson(records[3]!)).toEqual({ id: '31', messages: [{ id: 'm31', threadId: 't' }], messagesDeleted: [{ message: { id: 'm31', threadId: 't' } }] });
  });
});

describe('page tokens', () => {
  it('round-trip and reject junk', () => {
    expect(decodePageToken(encodePageToken(42))).toBe(42);
    expect(decodePageToken('junk')).toBeNull();
    expect(decodePageToken(undefined)).toBeNull();
  });
});
