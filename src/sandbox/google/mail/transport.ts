import { invalidArgument, userRateLimit } from '../http/google-errors';
import { newRfcMessageId } from '../ids';
import type { Account, SandboxState } from '../state';
import { encodeDisplayName, newField, rewriteHeaders, type HeaderField } from './headers';
import type { MessageSummary, StoredMessage } from './message';
import { prepareMessage, recipientsOf } from './prepare';
import { assignThread } from './threading';

/** Date header in RFC 5322 form, e.g. `Wed, 01 May 2024 13:43:20 +0000`. */
export function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

const INBOUND_LABELS = ['UNREAD', 'CATEGORY_PERSONAL', 'INBOX'];

/**
 * What Gmail does to an outgoing message's headers: adds Message-ID and Date when missing, and
 * puts the account's own address in From (the sandbox has no send-as aliases).
 */
function outgoingHeaders(fields: HeaderField[], summary: MessageSummary, sender: Account, now: number): HeaderField[] {
  const from = summary.from[0];
  const name = from?.name || sender.name;
  const fromValue = name ? `${encodeDisplayName(name)} <${sender.address}>` : sender.address;
  const out = fields.filter((f) => f.name.toLowerCase() !== 'from' || from?.address === sender.address);
  if (!from || from.address !== sender.address) out.unshift(newField('From', fromValue));
  if (!summary.rfcMessageId) out.push(newField('Message-ID', newRfcMessageId()));
  if (!fields.some((f) => f.name.toLowerCase() === 'date')) out.push(newField('Date', rfc5322Date(now)));
  return out;
}

export interface SendOptions {
  requestedThreadId?: string;
  now: number;
}

/** messages.send and mail-client sends: the Sent copy in the sender's mailbox and delivery to sandbox recipients. */
export async function sendAsAccount(state: SandboxState, sender: Account, raw: Buffer, opts: SendOptions): Promise<StoredMessage> {
  let prepared = await prepareMessage(raw);
  const recipients = recipientsOf(prepared.summary);
  if (recipients.length === 0) throw invalidArgument('Recipient address required');
  if (opts.requestedThreadId !== undefined && !sender.store.hasThread(opts.requestedThreadId)) throw invalidArgument('Invalid thread_id value');
  const fixed = rewriteHeaders(raw, (fields) => outgoingHeaders(fields, prepared.summary, sender, opts.now));
  if (!fixed.equals(raw)) prepared = await prepareMessage(fixed);
  const taken = sender.sends.tryTake(opts.now, 1, state.options.dailySendLimit);
  if (!taken.ok) {
    sender.counters.rejected.sendLimit++;
    throw userRateLimit(taken.retryAt, 429, ' (Mail sending)');
  }
  const { summary } = prepared;
  const threadId = assignThread(
    { requestedThreadId: opts.requestedThreadId, subject: summary.subject, inReplyTo: summary.inReplyTo, references: summary.references },
    sender.store.threadIndex(),
  );
  const toSelf = recipients.includes(sender.address);
  const labelIds = toSelf ? ['UNREAD', 'SENT', 'INBOX'] : ['SENT'];
  const stored = sender.store.insert(prepared, { labelIds, internalDate: opts.now, threadId: threadId ?? undefined });
  const seen = rewriteHeaders(prepared.raw, (fields) => fields.filter((f) => f.name.toLowerCase() !== 'bcc'));
  for (const address of recipients) {
    const recipient = state.account(address);
    if (recipient && recipient !== sender) await deliverInbound(recipient, seen, opts.now);
  }
  return stored;
}

/** A message arriving from outside (or from another account): INBOX, threaded by its references. */
export async function deliverInbound(recipient: Account, raw: Buffer, internalDate: number): Promise<StoredMessage> {
  const delivered = rewriteHeaders(raw, (fields) => [newField('Delivered-To', recipient.address), ...fields]);
  const prepared = await prepareMessage(delivered);
  const { summary } = prepared;
  const threadId = assignThread({ subject: summary.subject, inReplyTo: summary.inReplyTo, references: summary.references }, recipient.store.threadIndex());
  return recipient.store.insert(prepared, { labelIds: INBOUND_LABELS, internalDate, threadId: threadId ?? undefined });
}
