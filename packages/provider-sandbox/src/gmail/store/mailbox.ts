import { historyGap, initialHistoryId, newMessageId } from '../ids';
import { pageHistory, type ChangeKind, type HistoryPage, type HistoryQuery, type HistoryRecord } from './history';
import { rfcKey, type ParsedMail, type StoredMessage } from './message';
import { assignThread, type ThreadCandidate } from './threading';

export interface WatchConfig {
  topicName: string;
  labelIds: string[];
  labelFilterBehavior: 'include' | 'exclude';
  expiration: number;
}

export interface InsertOptions {
  labels: string[];
  internalDate: number;
  requestedThreadId?: string;
}

export type ChangeListener = (mailbox: Mailbox, record: HistoryRecord) => void;

/** One account's mail: messages, threads, labels and the change history with its retention floor. */
export class Mailbox {
  readonly messages = new Map<string, StoredMessage>();
  private readonly threads = new Map<string, string[]>();
  private readonly byRfcId = new Map<string, Set<string>>();
  private history: HistoryRecord[] = [];
  historyId = initialHistoryId();
  /** Newest history id no longer answerable; starts at creation so older ids are unknown. */
  floor = this.historyId;
  watch: WatchConfig | null = null;

  constructor(
    readonly address: string,
    readonly name: string,
    readonly subjectId: string,
    private readonly retention: number,
    private readonly onChange: ChangeListener,
  ) {}

  get threadsTotal(): number {
    return this.threads.size;
  }

  insert(raw: Buffer, mail: ParsedMail, opts: InsertOptions): StoredMessage {
    const id = newMessageId();
    const threadId =
      assignThread(
        { normalizedSubject: mail.normalizedSubject, inReplyTo: mail.inReplyTo, references: mail.references, ...(opts.requestedThreadId ? { requestedThreadId: opts.requestedThreadId } : {}) },
        (bareId) => this.candidates(bareId),
      ) ?? id;
    const message: StoredMessage = { id, threadId, labelIds: new Set(opts.labels), historyId: 0, internalDate: opts.internalDate, raw, mail };
    this.messages.set(id, message);
    this.threads.set(threadId, [...(this.threads.get(threadId) ?? []), id]);
    const key = rfcKey(mail);
    if (key) this.byRfcId.set(key, (this.byRfcId.get(key) ?? new Set()).add(id));
    this.record('messageAdded', message, []);
    return message;
  }

  modify(id: string, add: string[], remove: string[]): StoredMessage | null {
    const message = this.messages.get(id);
    if (!message) return null;
    const removed = [...new Set(remove)].filter((l) => message.labelIds.has(l) && !add.includes(l));
    const added = [...new Set(add)].filter((l) => !message.labelIds.has(l));
    for (const label of removed) message.labelIds.delete(label);
    for (const label of added) message.labelIds.add(label);
    if (added.length > 0) this.record('labelAdded', message, added);
    if (removed.length > 0) this.record('labelRemoved', message, removed);
    return message;
  }

  remove(id: string): boolean {
    const message = this.messages.get(id);
    if (!message) return false;
    this.messages.delete(id);
    const rest = (this.threads.get(message.threadId) ?? []).filter((m) => m !== id);
    if (rest.length > 0) this.threads.set(message.threadId, rest);
    else this.threads.delete(message.threadId);
    this.byRfcId.get(rfcKey(message.mail))?.delete(id);
    this.record('messageDeleted', message, []);
    return true;
  }

  thread(threadId: string): StoredMessage[] {
    return (this.threads.get(threadId) ?? []).map((id) => this.messages.get(id)).filter((m): m is StoredMessage => m !== undefined);
  }

  threadIds(): string[] {
    return [...this.threads.keys()];
  }

  findByRfcId(bareId: string): StoredMessage[] {
    return [...(this.byRfcId.get(bareId) ?? [])].map((id) => this.messages.get(id)).filter((m): m is StoredMessage => m !== undefined);
  }

  listHistory(query: HistoryQuery): HistoryPage {
    return pageHistory(this.history, this.floor, query);
  }

  /** Drops every retained record: any start id older than now answers 404. */
  expireHistory(): void {
    this.history = [];
    this.floor = this.historyId;
  }

  private candidates(bareId: string): ThreadCandidate[] {
    return this.findByRfcId(bareId).map((m) => ({ threadId: m.threadId, normalizedSubject: m.mail.normalizedSubject }));
  }

  private record(kind: ChangeKind, message: StoredMessage, changed: string[]): void {
    this.historyId += historyGap();
    message.historyId = this.historyId;
    const record: HistoryRecord = { id: this.historyId, kind, messageId: message.id, threadId: message.threadId, labelIds: [...message.labelIds], changed };
    this.history.push(record);
    while (this.history.length > this.retention) this.floor = this.history.shift()!.id;
    this.onChange(this, record);
  }
}
