import { graphTime, newChangeKey, newFolderId, newRestId } from '../ids';
import { assignConversation, conversationGuid, conversationIdFor, normalizeSubject, parentIdsOf, type ConversationSource } from './conversation';
import { WELL_KNOWN_FOLDERS, type Folder, type FolderKind, type StoredMessage } from './model';
import { SyncStates } from './sync-states';

export type MailboxEventType = 'created' | 'updated' | 'deleted';

export interface MailboxEvent {
  type: MailboxEventType;
  mailbox: Mailbox;
  message: StoredMessage;
  /** The folder the change happened in (for a move: 'deleted' in the source, 'created' in the target). */
  folderId: string;
  /** The default id the message had in that folder. */
  restId: string;
}

/** One Exchange mailbox: folders, messages, conversations and delta sync states. */
export class Mailbox {
  readonly folders = new Map<string, Folder>();
  readonly messages = new Map<string, StoredMessage>();
  readonly syncStates: SyncStates;
  private readonly restIndex = new Map<string, string>();
  private readonly topics = new Map<string, string>();
  private arrivals = 0;

  constructor(
    readonly userId: string,
    readonly address: string,
    readonly displayName: string,
    private readonly emit: (event: MailboxEvent) => void,
    maxSyncStates: number,
  ) {
    this.syncStates = new SyncStates(maxSyncStates);
    for (const { kind, displayName: name } of WELL_KNOWN_FOLDERS) {
      const id = newFolderId();
      this.folders.set(id, { id, wellKnownName: kind, displayName: name, parentId: null, isHidden: false, seq: 0, changes: new Map() });
    }
  }

  /** The root of the folder tree, by the well-known name Graph gives it or the id folders report as their parent. */
  isRoot(ref: string): boolean {
    return ref.toLowerCase() === 'msgfolderroot' || ref === this.rootId;
  }

  get rootId(): string {
    return `${this.userId}-msgfolderroot`;
  }

  /** The folders under a parent (null: the top of the tree), in creation order. */
  children(parentId: string | null): Folder[] {
    return [...this.folders.values()].filter((f) => f.parentId === parentId);
  }

  /** A user folder; Exchange refuses a second folder of the same name under one parent. */
  createFolder(displayName: string, parentId: string | null, isHidden = false): Folder | null {
    const wanted = displayName.toLowerCase();
    if (this.children(parentId).some((f) => f.displayName.toLowerCase() === wanted)) return null;
    const folder: Folder = { id: newFolderId(), wellKnownName: null, displayName, parentId, isHidden, seq: 0, changes: new Map() };
    this.folders.set(folder.id, folder);
    return folder;
  }

  /** A folder by id or well-known name (case-insensitive, as Graph accepts `Inbox` and `inbox`). */
  folder(ref: string): Folder | undefined {
    const direct = this.folders.get(ref);
    if (direct) return direct;
    const name = ref.toLowerCase();
    return [...this.folders.values()].find((f) => f.wellKnownName === name);
  }

  wellKnown(kind: FolderKind): Folder {
    const folder = this.folder(kind);
    if (!folder) throw new Error(`mailbox ${this.address} has no ${kind} folder`);
    return folder;
  }

  /** By immutable id or current default id; a default id from before a move no longer resolves. */
  find(id: string): StoredMessage | undefined {
    return this.messages.get(id) ?? this.messages.get(this.restIndex.get(id) ?? '');
  }

  list(folderId?: string): StoredMessage[] {
    const all = [...this.messages.values()];
    return folderId ? all.filter((m) => m.folderId === folderId) : all;
  }

  /** Assigns the conversation from subject, parents and Thread-Index, Exchange style. */
  assignConversation(message: StoredMessage, threadIndex: Buffer | null): void {
    const facts = { subject: message.subject, parentIds: parentIdsOf(message.inReplyTo, message.references), threadIndex };
    const assigned = assignConversation(facts, this.conversationSource(), Date.now());
    if (!this.topics.has(assigned.guid)) this.topics.set(assigned.guid, normalizeSubject(message.subject));
    message.conversationIndex = assigned.index;
    message.conversationId = conversationIdFor(this.userId, assigned.guid);
  }

  insert(message: StoredMessage, folderId: string): void {
    message.folderId = folderId;
    message.arrival = ++this.arrivals;
    this.messages.set(message.immutableId, message);
    this.restIndex.set(message.restId, message.immutableId);
    this.record(folderId, message.immutableId, 'upsert');
    this.emit({ type: 'created', mailbox: this, message, folderId, restId: message.restId });
  }

  /** Call after changing properties: new change key, a delta change, an 'updated' notification. */
  touch(message: StoredMessage): void {
    message.lastModifiedDateTime = graphTime(Date.now());
    message.changeKey = newChangeKey();
    this.record(message.folderId, message.immutableId, 'upsert');
    this.emit({ type: 'updated', mailbox: this, message, folderId: message.folderId, restId: message.restId });
  }

  move(message: StoredMessage, folderId: string): void {
    const from = message.folderId;
    const oldRestId = message.restId;
    this.record(from, message.immutableId, 'removed', oldRestId);
    this.restIndex.delete(oldRestId);
    message.restId = newRestId();
    message.folderId = folderId;
    message.lastModifiedDateTime = graphTime(Date.now());
    message.changeKey = newChangeKey();
    this.restIndex.set(message.restId, message.immutableId);
    this.record(folderId, message.immutableId, 'upsert');
    this.emit({ type: 'deleted', mailbox: this, message, folderId: from, restId: oldRestId });
    this.emit({ type: 'created', mailbox: this, message, folderId, restId: message.restId });
  }

  remove(message: StoredMessage): void {
    this.record(message.folderId, message.immutableId, 'removed', message.restId);
    this.messages.delete(message.immutableId);
    this.restIndex.delete(message.restId);
    this.emit({ type: 'deleted', mailbox: this, message, folderId: message.folderId, restId: message.restId });
  }

  private record(folderId: string, key: string, kind: 'upsert' | 'removed', restId?: string): void {
    const folder = this.folders.get(folderId);
    if (!folder) return;
    folder.seq += 1;
    folder.changes.set(key, restId ? { seq: folder.seq, kind, restId } : { seq: folder.seq, kind });
  }

  private conversationSource(): ConversationSource {
    return {
      byMessageId: (id) => {
        const wanted = id.trim().toLowerCase();
        const hit = [...this.messages.values()].find((m) => m.internetMessageId.toLowerCase() === wanted);
        const guid = hit ? conversationGuid(hit.conversationIndex) : null;
        return hit && guid ? { guid, index: hit.conversationIndex } : undefined;
      },
      topicOf: (guid) => this.topics.get(guid),
    };
  }
}
