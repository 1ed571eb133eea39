import type { MessageUpdate } from '../types';

/** A message as a Graph delta page lists it ($select in mailbox.ts), or `@removed` when it left the folder. */
export interface DeltaItem {
  id: string;
  conversationId?: string;
  receivedDateTime?: string;
  isDraft?: boolean;
  isRead?: boolean;
  parentFolderId?: string;
  '@removed'?: unknown;
}

export interface ClassifiedItems {
  /** Messages to read as possibly new (the page skips those already decided), first-seen order. */
  present: DeltaItem[];
  /** Read state and folder of every listed message, and the ones that left the folder (`left`: where to is asked later). */
  updates: MessageUpdate[];
}

/**
 * Sorts one delta page of a folder. A listed message is new or changed (Graph does not say which): it
 * is read if undecided, and its read state and folder are reported for a stored copy. `@removed` means
 * it left the folder: moved, to Deleted Items, or deleted for good. Drafts are not mail and are skipped.
 */
export function classifyDeltaItems(items: DeltaItem[], folder: string): ClassifiedItems {
  const present: DeltaItem[] = [];
  const updates: MessageUpdate[] = [];
  for (const item of items) {
    if (item['@removed']) {
      updates.push({ providerMessageId: item.id, left: true });
      continue;
    }
    if (item.isDraft) continue;
    if (!present.some((p) => p.id === item.id)) present.push(item);
    updates.push({ providerMessageId: item.id, folder, deleted: null, ...(typeof item.isRead === 'boolean' ? { read: item.isRead } : {}) });
  }
  return { present, updates };
}
