import type { gmail_v1 } from 'googleapis';

export type ChangeKind = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';

export const CHANGE_KINDS: readonly ChangeKind[] = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

/** One mailbox change; `labelIds` is the message's labels after it, `changed` the labels added or removed. */
export interface HistoryRecord {
  id: number;
  kind: ChangeKind;
  messageId: string;
  threadId: string;
  labelIds: string[];
  changed: string[];
}

export interface HistoryQuery {
  startHistoryId: number;
  /** From a page token: continue after this record. */
  afterRecordId?: number;
  historyTypes?: ChangeKind[];
  labelId?: string;
  maxResults: number;
}

export type HistoryPage = { expired: true } | { expired: false; records: HistoryRecord[]; lastId?: number };

/**
 * Records after the start id, oldest first. `floor` is the newest id whose records are gone: a
 * start below it cannot be answered completely, which Gmail reports as 404.
 */
export function pageHistory(records: readonly HistoryRecord[], floor: number, query: HistoryQuery): HistoryPage {
  const after = Math.max(query.startHistoryId, query.afterRecordId ?? 0);
  if (after < floor) return { expired: true };
  const types = query.historyTypes && query.historyTypes.length > 0 ? new Set(query.historyTypes) : null;
  const label = query.labelId;
  const matching = records.filter(
    (r) => r.id > after && (!types || types.has(r.kind)) && (!label || r.labelIds.includes(label) || r.changed.includes(label)),
  );
  const page = matching.slice(0, query.maxResults);
  const more = matching.length > page.length;
  return { expired: false, records: page, ...(more ? { lastId: page[page.length - 1]!.id } : {}) };
}

export function toHistoryJson(record: HistoryRecord): gmail_v1.Schema$History {
  const ref = { id: record.messageId, threadId: record.threadId };
  const message = { ...ref, labelIds: record.labelIds };
  const out: gmail_v1.Schema$History = { id: String(record.id), messages: [ref] };
  switch (record.kind) {
    case 'messageAdded':
      out.messagesAdded = [{ message }];
      break;
    case 'messageDeleted':
      out.messagesDeleted = [{ message: ref }];
      break;
    case 'labelAdded':
      out.labelsAdded = [{ message, labelIds: record.changed }];
      break;
    case 'labelRemoved':
      out.labelsRemoved = [{ message, labelIds: record.changed }];
      break;
  }
  return out;
}

export const encodePageToken = (value: number | string): string => Buffer.from(`p${value}`).toString('base64url');

export function decodePageToken(token: string | undefined): number | null {
  if (!token) return null;
  const match = /^p(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}
