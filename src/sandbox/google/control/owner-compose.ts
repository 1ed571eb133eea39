import { asList, type AttachmentInput, type ComposeInput } from '../mail/compose';
import { formatMailbox, formatMailboxes, type StoredMessage } from '../mail/message';
import { rfc5322Date } from '../mail/transport';
import type { Account } from '../state';
import { SandboxError } from '../state';
import type { OwnerSendInput } from './types';

function prefixed(prefix: 'Re' | 'Fwd', subject: string): string {
  const pattern = prefix === 'Re' ? /^\s*re\s*:/i : /^\s*(fwd?|fw)\s*:/i;
  return pattern.test(subject) ? subject : `${prefix}: ${subject}`;
}

/** RFC 5322 3.6.4: the parent's References (or In-Reply-To) followed by the parent's Message-ID. */
function threadHeaders(parent: StoredMessage): { inReplyTo?: string; references?: string[] } {
  const id = parent.summary.rfcMessageId;
  if (!id) return {};
  const prior = parent.summary.references.length > 0 ? parent.summary.references : parent.summary.inReplyTo;
  return { inReplyTo: id, references: [...prior.map((r) => `<${r}>`), id] };
}

function quoted(parent: StoredMessage): string {
  const who = formatMailboxes(parent.summary.from);
  const body = parent.summary.text.split('\n').map((line) => `> ${line}`).join('\n');
  return `\n\nOn ${rfc5322Date(parent.internalDate)}, ${who} wrote:\n${body}`;
}

function forwarded(parent: StoredMessage): string {
  const s = parent.summary;
  const lines = [
    '---------- Forwarded message ---------',
    `From: ${formatMailboxes(s.from)}`,
    `Date: ${rfc5322Date(parent.internalDate)}`,
    `Subject: ${s.subject}`,
    `To: ${formatMailboxes(s.to)}`,
    ...(s.cc.length > 0 ? [`Cc: ${formatMailboxes(s.cc)}`] : []),
  ];
  return `\n\n${lines.join('\n')}\n\n${s.text}`;
}

/** Who a reply goes to: the other side of the parent (its Reply-To or From, or its To when we sent it). */
function replyRecipients(account: Account, parent: StoredMessage): string[] {
  const s = parent.summary;
  const source = parent.labelIds.includes('SENT') ? s.to : s.replyTo.length > 0 ? s.replyTo : s.from;
  return source.filter((m) => m.address !== account.address).map(formatMailbox);
}

function parentOf(account: Account, id: string | undefined): StoredMessage | undefined {
  if (id === undefined) return undefined;
  const parent = account.store.get(id);
  if (!parent) throw new SandboxError('not_found', `no message ${id} in ${account.address}`);
  return parent;
}

/** Turns an owner send (plain, reply or forward) into compose input plus the thread Gmail would try. */
export function ownerCompose(account: Account, input: OwnerSendInput): { compose: ComposeInput; threadId?: string } {
  const reply = parentOf(account, input.replyToProviderMessageId);
  const forward = parentOf(account, input.forwardOf);
  const parent = reply ?? forward;
  const text = input.text ?? (input.html === undefined ? '' : undefined);
  const kept: AttachmentInput[] = forward ? forward.summary.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) : [];
  const compose: ComposeInput = {
    from: { address: account.address, name: account.name },
    to: input.to ?? (reply ? replyRecipients(account, reply) : []),
    cc: input.cc,
    bcc: input.bcc,
    subject: input.subject ?? (reply ? prefixed('Re', reply.summary.subject) : forward ? prefixed('Fwd', forward.summary.subject) : ''),
    text: text === undefined ? undefined : text + (reply ? quoted(reply) : forward ? forwarded(forward) : ''),
    html: input.html,
    attachments: [...kept, ...(input.attachments ?? [])],
    messageId: input.messageId,
    ...(parent ? threadHeaders(parent) : {}),
  };
  if (asList(compose.to).length + asList(compose.cc).length + asList(compose.bcc).length === 0) {
    throw new SandboxError('bad_request', 'a message needs at least one recipient');
  }
  return { compose, ...(parent ? { threadId: parent.threadId } : {}) };
}
