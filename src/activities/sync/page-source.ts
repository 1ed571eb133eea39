import type { Cursor, MailboxAdapter, MessageUpdate } from '../../providers/types';

/**
 * Where a page of message ids comes from: the provider's change stream, or, after the stream's start
 * expired, a bounded reconciliation over received time whose end position was pinned before enumerating.
 */
export interface PageIds {
  messageIds: string[];
  next: Cursor;
  more: boolean;
  /** Changes to messages the mailbox already had (the change stream only; a reconciliation has none). */
  updates?: MessageUpdate[];
}

export const isReconciling = (cursor: Cursor) => cursor.mode === 'reconcile';

export async function readPage(mailbox: MailboxAdapter, cursor: Cursor): Promise<PageIds> {
  if (!isReconciling(cursor)) return mailbox.listChanges(cursor);
  const page = await mailbox.listReceivedSince(cursor.since!, cursor.pageToken || null);
  if (page.nextPageToken) {
    return { messageIds: page.messageIds, next: { ...cursor, pageToken: page.nextPageToken }, more: true };
  }
  return { messageIds: page.messageIds, next: JSON.parse(cursor.pinned!) as Cursor, more: true };
}

/** The reconciliation window starts at the last synced point (less a margin), never before connect (R13). */
export function reconcileCursor(pinned: Cursor, lastSyncedAt: Date | null, baselineAt: Date, marginMs = 3_600_000): Cursor {
  const from = Math.max(baselineAt.getTime(), (lastSyncedAt ?? baselineAt).getTime() - marginMs);
  return { mode: 'reconcile', since: new Date(from).toISOString(), pageToken: '', pinned: JSON.stringify(pinned) };
}
