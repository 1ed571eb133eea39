import { emptyDraft, recipient, type Draft } from './compose';
import { normalizeSubject } from './conversation';
import type { Mailbox } from './mailbox';
import type { Recipient, StoredMessage } from './model';

export type ReplyKind = 'reply' | 'replyAll' | 'forward';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const sameAddress = (a: Recipient, address: string): boolean => a.emailAddress.address.toLowerCase() === address.toLowerCase();

function withoutOwner(list: Recipient[], owner: Mailbox): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = r.emailAddress.address.toLowerCase();
    if (key === owner.address || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Outlook answers the Reply-To addresses if any, else the sender; replying to one's own mail goes to its recipients. */
function replyRecipients(owner: Mailbox, original: StoredMessage, kind: ReplyKind): { to: Recipient[]; cc: Recipient[] } {
  if (kind === 'forward') return { to: [], cc: [] };
  const ownMessage = original.from ? sameAddress(original.from, owner.address) : false;
  const primary = ownMessage ? original.toRecipients : original.replyTo.length ? original.replyTo : original.from ? [original.from] : [];
  if (kind === 'reply') return { to: primary, cc: [] };
  return { to: withoutOwner([...primary, ...(ownMessage ? [] : original.toRecipients)], owner), cc: withoutOwner(original.ccRecipients, owner) };
}

function quotedBody(original: StoredMessage, comment: string): Draft['body'] {
  const from = original.from ? `${original.from.emailAddress.name} <${original.from.emailAddress.address}>` : '';
  const quoted = original.body.contentType === 'html' ? original.body.content : `<pre>${escapeHtml(original.body.content)}</pre>`;
  const header = `<b>From:</b> ${escapeHtml(from)}<br><b>Sent:</b> ${original.sentDateTime ?? original.receivedDateTime}<br><b>Subject:</b> ${escapeHtml(original.subject)}`;
  return { contentType: 'html', content: `<html><body><div>${escapeHtml(comment)}</div><hr><div>${header}</div>${quoted}</body></html>` };
}

/** The draft Outlook prepares for createReply / createReplyAll / createForward. */
export function replyDraft(owner: Mailbox, original: StoredMessage, kind: ReplyKind, comment = ''): Draft {
  const { to, cc } = replyRecipients(owner, original, kind);
  const prefix = kind === 'forward' ? 'FW: ' : 'RE: ';
  return {
    ...emptyDraft(),
    subject: `${prefix}${normalizeSubject(original.subject)}`,
    body: quotedBody(original, comment),
    from: recipient(owner.address, owner.displayName),
    toRecipients: to,
    ccRecipients: cc,
    inReplyTo: original.internetMessageId,
    references: [...original.references, original.internetMessageId],
    attachments: kind === 'forward' ? original.attachments.map((a) => ({ ...a })) : [],
  };
}
