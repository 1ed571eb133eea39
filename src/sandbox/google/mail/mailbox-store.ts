import { invalidArgument, notFound } from '../http/google-errors';
import { historyGap, initialHistoryId, newGmailId } from '../ids';
import { HistoryLog, type HistoryRecord, type HistoryType } from './history';
import type { PreparedMessage, StoredMessage } from './message';
import { snippetOf } from './prepare';
import type { ThreadIndex } from './threading';

export const SYSTEM_LABELS: readonly string[] = [
  'INBOX', 'SENT', 'UNREAD', 'STARRED', 'IMPORTANT', 'TRASH', 'SPAM', 'DRAFT', 'CHAT',
  'CATEGORY_PERSONAL', 'CATEGORY_SOCIAL', 'CATEGORY_PROMOTIONS', 'CATEGORY_UPDATES', 'CATEGORY_FORUMS',
];

export interface InsertOptions {
  labelIds: string[];
  internalDate: number;
  /** An existing thread of this mailbox, or undefined for a new thread. */
  threadId?: string;
}

const bare = (rfcMessageId: string) => rfcMessageId.replace(/^<|>$/g, '');

/** One account's messages, threads and history; every change writes a history record. */
export class MailboxStore {
  readonly history: HistoryLog;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly threads = new Map<string, string[]>();
  private readonly byRfcId = new Map<string, Set<string>>();

  constructor(
    retention: number,
    private readonly onChange: (record: HistoryRecord) => void,
  ) {
    this.history = new HistoryLog(initialHistoryId(), retention, historyGap);
  }

  get messagesTotal(): number {
    return this.messages.size;
  }

  get threadsTotal(): number {
    return this.threads.size;
  }

  insert(prepared: PreparedMessage, opts: InsertOptions): StoredMessage {
    let id = newGmailId();
    while (this.messages.has(id)) id = newGmailId();
    const threadId = opts.threadId && this.threads.has(opts.threadId) ? opts.threadId : id;
    const message: StoredMessage = {
      ...prepared,
      id,
      threadId,
      labelIds: [...new Set(opts.labelIds)],
      internalDate: opts.internalDate,
      historyId: 0,
      snippet: snippetOf(prepared.summary),
    };
    this.messages.set(id, message);
    this.threads.set(threadId, [...(this.threads.get(threadId) ?? []), id]);
    const key = bare(prepared.summary.rfcMessageId);
    if (key) this.byRfcId.set(key, new Set([...(this.byRfcId.get(key) ?? []), id]));
    this.record('messageAdded', message);
    return message;
  }

  get(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  require(id: string): StoredMessage {
    const message = this.messages.get(id);
    if (!message) throw notFound();
    return message;
  }

  /** Adds and removes labels; only effective changes write history (as in Gmail). */
  modify(id: string, add: string[], remove: string[]): StoredMessage {
    const message = this.require(id);
    for (const label of [...add, ...remove]) {
      if (!SYSTEM_LABELS.includes(label)) throw invalidArgument(`Invalid label: ${label}`);
    }
    const added = [...new Set(add)].filter((l) => !message.labelIds.includes(l) && !remove.includes(l));
    const removed = [...new Set(remove)].filter((l) => message.labelIds.includes(l));
    message.labelIds = [...message.labelIds.filter((l) => !removed.includes(l)), ...added];
    if (added.length > 0) this.record('labelAdded', message, added);
    if (removed.length > 0) this.record('labelRemoved', message, removed);
    return message;
  }

  delete(id: string): void {
    const message = this.require(id);
    this.messages.delete(id);
    const rest = (this.threads.get(message.threadId) ?? []).filter((m) => m !== id);
    if (rest.length > 0) this.threads.set(message.threadId, rest);
    else this.threads.delete(message.threadId);
    this.byRfcId.get(bare(message.summary.rfcMessageId))?.delete(id);
    this.record('messageDeleted', message);
  }

  /** Newest first, as messages.list returns them. */
  all(): StoredMessage[] {
    return [...this.messages.values()].sort((a, b) => b.internalDate - a.internalDate || (b.id > a.id ? 1 : -1));
  }

  /** Oldest first, as threads.get returns them; empty for an unknown thread. */
  thread(threadId: string): StoredMessage[] {
    return (this.threads.get(threadId) ?? []).map((id) => this.messages.get(id)!);
  }

  hasThread(threadId: string): boolean {
    return this.threads.has(threadId);
  }

  threadIndex(): ThreadIndex {
    return {
      byMessageId: (rfcId) =>
        [...(this.byRfcId.get(bare(rfcId)) ?? [])].map((id) => {
          const m = this.messages.get(id)!;
          return { threadId: m.threadId, subject: m.summary.subject };
        }),
      threadSize: (threadId) => this.threads.get(threadId)?.length ?? 0,
    };
  }

  private record(type: HistoryType, message: StoredMessage, labelIds?: string[]): void {
    const record = this.history.append(type, { id: message.id, threadId: message.threadId, labelIds: message.labelIds }, labelIds);
    message.historyId = record.id;
    this.onChange(record);
  }
}
