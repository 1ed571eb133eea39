import type { DbOrTrx } from '../../db/client';
import type { AccountRow } from '../../db/schema';
import type { Provider } from '../../provider';
import { normalizeAddress } from '../../rules/addresses';
import type { BindingFacts, MessageFacts } from '../../rules/types';
import type { FetchedMessage } from '../../providers/types';

/** Provider message → the rules' MessageFacts (addresses normalised, header order kept). */
export function toMessageFacts(account: AccountRow, fetched: FetchedMessage): MessageFacts {
  const p = fetched.parsed;
  // Display names ride along ("Ann <ann@x>"): the rules normalise addresses and name new contacts from them (R18).
  const named = (a: { address: string; name: string }) => (a.name ? `${a.name.replace(/[<>"]/g, '')} <${a.address}>` : a.address);
  const from = p.from?.address ?? '';
  const subject = p.subject ?? '';
  return {
    providerMessageId: fetched.providerMessageId,
    providerThreadId: fetched.providerThreadId,
    rfcMessageId: p.rfcMessageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    subject,
    from,
    to: p.to.map(named),
    cc: p.cc.map(named),
    bcc: p.bcc.map(named),
    receivedAt: fetched.receivedAt,
    sentByOwner: fetched.inSent || normalizeAddress(from) === account.address,
    inSent: fetched.inSent,
    notMail: fetched.notMail,
    isForward: /^\s*(fwd?|fw):/i.test(subject),
    attachments: p.attachments.map((a) => ({ filename: a.filename, size: a.size, contentType: a.contentType })),
  };
}

/** Graph reports receivedDateTime to the second: a message of the connect second counts as after connect. */
const connectedAtFor = (provider: string, at: Date) => (provider === 'outlook' ? new Date(Math.floor(at.getTime() / 1000) * 1000) : at).toISOString();

export async function loadBindings(db: DbOrTrx, accountId: string, provider: Provider = 'gmail'): Promise<BindingFacts[]> {
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '<>', 'disconnected')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    connectionId: r.id,
    locationId: r.location_id,
    userId: r.user_id,
    connectedAt: connectedAtFor(provider, r.connected_at),
    bccAddress: r.bcc_address,
    status: r.status,
  }));
}
