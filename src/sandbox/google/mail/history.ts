export type HistoryType = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';

export const HISTORY_TYPES: readonly HistoryType[] = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

export interface MessageRef {
  id: string;
  threadId: string;
  /** The message's labels right after this change. */
  labelIds: string[];
}

/** One mailbox change. Gmail may group changes into one record; the sandbox writes one per change. */
export interface HistoryRecord {
  id: number;
  type: HistoryType;
  message: MessageRef;
  /** Labels added or removed, for label records. */
  labelIds?: string[];
}

export interface HistoryQuery {
  startHistoryId: number;
  types?: HistoryType[];
  labelId?: string;
  maxResults: number;
  /** Id of the last record the previous page returned. */
  after?: number;
}

export type HistoryPage = { kind: 'expired' } | { kind: 'page'; records: HistoryRecord[]; lastId: number | null; more: boolean };

/**
 * The retained history of one mailbox. `floor` is the oldest start id still answerable: any
 * older start would need records that were dropped, which Gmail answers with 404.
 */
export class HistoryLog {
  private records: HistoryRecord[] = [];
  private currentId: number;
  private floorId: number;

  constructor(
    start: number,
    private readonly retention: number,
    private readonly gap: () => number,
  ) {
    this.currentId = start;
    this.floorId = start;
  }

  get current(): number {
    return this.currentId;
  }

  get floor(): number {
    return this.floorId;
  }

  get size(): number {
    return this.records.length;
  }

  append(type: HistoryType, message: MessageRef, labelIds?: string[]): HistoryRecord {
    this.currentId += this.gap();
    const record: HistoryRecord = { id: this.currentId, type, message: { ...message, labelIds: [...message.labelIds] }, ...(labelIds ? { labelIds } : {}) };
    this.records.push(record);
    while (this.records.length > this.retention) this.floorId = this.records.shift()!.id;
    return record;
  }

  /** Drops every retained record, so only the current id (or later) remains a valid start. */
  expireAll(): void {
    this.records = [];
    this.floorId = this.currentId;
  }

  list(query: HistoryQuery): HistoryPage {
    if (query.startHistoryId < this.floorId) return { kind: 'expired' };
    const after = Math.max(query.startHistoryId, query.after ?? 0);
    if (after < this.floorId) return { kind: 'expired' };
    const selected: HistoryRecord[] = [];
    let lastId: number | null = null;
    for (const record of this.records) {
      if (record.id <= after || !matches(record, query)) continue;
      if (selected.length === query.maxResults) return { kind: 'page', records: selected, lastId, more: true };
      selected.push(record);
      lastId = record.id;
    }
    return { kind: 'page', records: selected, lastId, more: false };
  }
}

function matches(record: HistoryRecord, query: HistoryQuery): boolean {
  if (query.types && query.types.length > 0 && !query.types.includes(record.type)) return false;
  if (query.labelId === undefined) return true;
  return record.message.labelIds.includes(query.labelId) || (record.labelIds ?? []).includes(query.labelId);
}
