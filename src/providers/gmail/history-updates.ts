import type { gmail_v1 } from 'googleapis';
import type { MessageState, MessageUpdate } from '../types';

/**
 * What Gmail's history says changed about messages it already had: read (the UNREAD label), the trash
 * (the TRASH label), any other label, and permanent deletion (`messagesDeleted`). Pure: a history page
 * in, one update per message out, its state after the page's last record about it.
 */
export function collectUpdates(history: gmail_v1.Schema$History[]): MessageUpdate[] {
  const updates = new Map<string, MessageUpdate>();
  const merge = (id: string | null | undefined, state: MessageState) => {
    if (!id) return;
    const before = updates.get(id);
    // Nothing follows a permanent deletion: a later record about the id is stale.
    if (before?.deleted === 'permanent') return;
    updates.set(id, { ...before, ...state, providerMessageId: id });
  };
  for (const record of history) {
    for (const added of record.labelsAdded ?? []) merge(added.message?.id, labelState(added.message, added.labelIds ?? [], []));
    for (const removed of record.labelsRemoved ?? []) merge(removed.message?.id, labelState(removed.message, [], removed.labelIds ?? []));
    for (const deleted of record.messagesDeleted ?? []) merge(deleted.message?.id, { deleted: 'permanent' });
  }
  return [...updates.values()];
}

/** The labels after the change when Gmail lists them (it does); otherwise what the changed labels alone say. */
function labelState(message: gmail_v1.Schema$Message | undefined, added: string[], removed: string[]): MessageState {
  const labels = message?.labelIds;
  if (labels) return { labels: [...labels], read: !labels.includes('UNREAD'), deleted: labels.includes('TRASH') ? 'trash' : null };
  const state: MessageState = {};
  if (added.includes('UNREAD')) state.read = false;
  if (removed.includes('UNREAD')) state.read = true;
  if (added.includes('TRASH')) state.deleted = 'trash';
  if (removed.includes('TRASH')) state.deleted = null;
  return state;
}

/** A message's state from its label ids (when it is read, and after `messages.modify`). */
export const stateFromLabels = (labels: string[]): MessageState => ({ labels: [...labels], read: !labels.includes('UNREAD'), deleted: labels.includes('TRASH') ? 'trash' : null });
