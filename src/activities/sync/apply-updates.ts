import type { DbOrTrx } from '../../db/client';
import { appendEvent } from '../../db/repositories/events';
import { findStatesByProviderIds, writeMessageState, type MessageStateRow } from '../../db/repositories/messages';
import { changeOf } from '../../conversations/state-change';
import type { MessageUpdate } from '../../providers/types';

/** Who made the change: the mailbox (read through the change stream) or the CRM (PATCH /v1/messages/:id). */
export type UpdateOrigin = 'mailbox' | 'crm';

/**
 * Applies read / label / folder / deletion changes to the messages this account stored (every location
 * holding one), inside the caller's transaction; ids mailsync never stored are ignored. Each message
 * that changed gets `message.updated` or `message.deleted`; a report equal to what is stored (our own
 * change coming back) writes nothing. Returns how many stored messages changed.
 */
export async function applyUpdates(trx: DbOrTrx, accountId: string, updates: MessageUpdate[], origin: UpdateOrigin, at: Date): Promise<number> {
  const rows = await findStatesByProviderIds(trx, accountId, updates.map((u) => u.providerMessageId));
  let changed = 0;
  for (const update of updates) {
    for (const row of rows.filter((r) => r.provider_message_id === update.providerMessageId)) {
      const change = changeOf(row, update);
      if (!change.event) continue;
      Object.assign(row, await writeMessageState(trx, row.id, change.set, at));
      await appendEvent(trx, { type: change.event, locationId: row.location_id, connectionId: row.connection_id, payload: payloadOf(row, change.changed, origin) });
      changed++;
    }
  }
  return changed;
}

function payloadOf(row: MessageStateRow, changed: string[], origin: UpdateOrigin): Record<string, unknown> {
  const base = { messageId: row.id, conversationId: row.conversation_id, providerMessageId: row.provider_message_id, origin };
  if (row.deletion) return { ...base, permanent: row.deletion === 'permanent', deletedAt: row.deleted_at?.toISOString() ?? null };
  return { ...base, changed, read: row.read, labels: row.labels, folder: row.folder, deletedAt: null };
}
