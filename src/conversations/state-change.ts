import type { Deletion, MessageState } from '../providers/types';

/** What a stored message knows of its state in the mailbox. */
export interface StoredState {
  read: boolean | null;
  labels: string[] | null;
  folder: string | null;
  deletion: Deletion | null;
}

export type StateField = 'read' | 'labels' | 'folder' | 'deleted';

export interface StateChange {
  /** The columns to write; empty when nothing changed. */
  set: Partial<Pick<StoredState, 'read' | 'labels' | 'folder' | 'deletion'>>;
  changed: StateField[];
  /** `message.deleted` when the message went to the trash or was deleted for good; null when nothing changed. */
  event: 'message.updated' | 'message.deleted' | null;
}

const sameLabels = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((l, i) => l === [...b].sort()[i]);

/**
 * Compares what the provider reports with what is stored. A report equal to the stored state (our own
 * change coming back through the change stream, or the same change read twice) changes nothing, so it
 * writes nothing and emits no event. A permanently deleted message stays deleted.
 */
export function changeOf(stored: StoredState, reported: MessageState): StateChange {
  const set: StateChange['set'] = {};
  const changed: StateField[] = [];
  if (stored.deletion === 'permanent') return { set, changed, event: null };
  if (reported.read !== undefined && reported.read !== stored.read) {
    set.read = reported.read;
    changed.push('read');
  }
  if (reported.labels !== undefined && (stored.labels === null || !sameLabels(stored.labels, reported.labels))) {
    set.labels = reported.labels;
    changed.push('labels');
  }
  if (reported.folder !== undefined && reported.folder !== stored.folder) {
    set.folder = reported.folder;
    changed.push('folder');
  }
  if (reported.deleted !== undefined && reported.deleted !== stored.deletion) {
    set.deletion = reported.deleted;
    changed.push('deleted');
  }
  if (changed.length === 0) return { set, changed, event: null };
  return { set, changed, event: set.deletion ? 'message.deleted' : 'message.updated' };
}
