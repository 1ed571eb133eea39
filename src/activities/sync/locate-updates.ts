import { findStatesByProviderIds } from '../../db/repositories/messages';
import type { AccountRow } from '../../db/schema';
import type { MailboxAdapter, MessageUpdate } from '../../providers/types';
import type { ActivityDeps } from '../deps';

/**
 * Outlook reports a message that left a folder being read only as `@removed`: for the ones mailsync
 * stored, ask where they went (moved, in Deleted Items, or gone), before the page's transaction opens.
 * Messages mailsync never stored cost no call.
 */
export async function locateUpdates(deps: ActivityDeps, account: AccountRow, mailbox: MailboxAdapter, updates: MessageUpdate[]): Promise<MessageUpdate[]> {
  const left = updates.filter((u) => u.left);
  if (left.length === 0 || !mailbox.locate) return updates.filter((u) => !u.left);
  const stored = new Set((await findStatesByProviderIds(deps.db, account.id, left.map((u) => u.providerMessageId))).map((r) => r.provider_message_id));
  const located = new Map((await mailbox.locate([...stored].filter((id): id is string => id !== null))).map((u) => [u.providerMessageId, u]));
  return updates.flatMap((u) => (u.left ? (located.has(u.providerMessageId) ? [located.get(u.providerMessageId)!] : []) : [u]));
}
