import { ControlError } from '../state';
import { asList, composeRaw } from '../mime/compose';
import type { MimeNode } from '../mime/tree';
import type { Mailbox } from '../store/mailbox';
import type { StoredMessage } from '../store/message';
import type { OutgoingAttachment, SendAsOwnerInput } from '../types';
import { gmailMessageId } from './headers';

export interface OwnerDraft {
  raw: Buffer;
  threadId?: string;
}

const prefixed = (prefix: string, subject: string): string => (new RegExp(`^${prefix}:`, 'i').test(subject.trim()) ? subject : `${prefix}: ${subject}`);

function original(mailbox: Mailbox, id: string): StoredMessage {
  const found = mailbox.messages.get(id);
  if (!found) throw new ControlError(`no message ${id} in ${mailbox.address}`, 404);
  return found;
}

function attachmentsOf(node: MimeNode): OutgoingAttachment[] {
  if (node.children.length > 0) return node.children.flatMap(attachmentsOf);
  return node.isAttachment ? [{ filename: node.filename, contentType: node.mimeType, content: node.body }] : [];
}

function forwardedBlock(m: StoredMessage): string {
  const header = (name: string) => m.mail.tree.headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
  return ['---------- Forwarded message ---------', `From: ${header('from')}`, `Date: ${header('date')}`, `Subject: ${m.mail.subject}`, `To: ${header('to')}`, '', m.mail.text].join('\n');
}

/** A reply quotes its parent's ids; Gmail's own client also keeps them on a forward, so both stay in the thread. */
function threadingFrom(parent: StoredMessage): { inReplyTo: string; references: string[] } {
  const parentId = parent.mail.rfcMessageId;
  return { inReplyTo: parentId, references: [...parent.mail.references.map((r) => `<${r}>`), parentId] };
}

/** The message the owner's mail client would build for a new mail, a reply or a forward. */
export async function ownerDraft(sender: Mailbox, input: SendAsOwnerInput): Promise<OwnerDraft> {
  const parentId = input.replyToProviderMessageId ?? input.forwardOf;
  const parent = parentId ? original(sender, parentId) : null;
  const isForward = parent !== null && !input.replyToProviderMessageId;
  let to = asList(input.to);
  if (parent && !isForward && to.length === 0) to = parent.labelIds.has('SENT') ? parent.mail.to : parent.mail.from;
  if (to.length + asList(input.cc).length + asList(input.bcc).length === 0) throw new ControlError('sendAsOwner needs a recipient');
  const subject = input.subject ?? (parent ? prefixed(isForward ? 'Fwd' : 'Re', parent.mail.subject) : '');
  const text = isForward ? `${input.text ?? ''}\n\n${forwardedBlock(parent)}` : input.text;
  const attachments = [...(input.attachments ?? []), ...(isForward ? attachmentsOf(parent.mail.tree) : [])];
  const raw = await composeRaw({
    from: sender.name ? { name: sender.name, address: sender.address } : sender.address,
    to, cc: input.cc, bcc: input.bcc, subject, html: input.html, attachments,
    ...(text !== undefined ? { text } : {}),
    ...(parent ? threadingFrom(parent) : {}),
    messageId: input.messageId ?? gmailMessageId(),
    date: new Date(),
  });
  return { raw, ...(parent ? { threadId: parent.threadId } : {}) };
}
