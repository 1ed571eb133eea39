import { invalidArgument } from '../errors';
import { prependHeaders, removeHeader } from '../mime/compose';
import type { SandboxState } from '../state';
import type { Mailbox } from '../store/mailbox';
import { parseMail, type StoredMessage } from '../store/message';
import type { DeliveredCopy } from '../types';
import { completeOutgoing } from './headers';

export interface SendResult {
  message: StoredMessage;
  copies: DeliveredCopy[];
}

const copyOf = (mailbox: Mailbox, m: StoredMessage): DeliveredCopy => ({ address: mailbox.address, messageId: m.id, threadId: m.threadId });

/**
 * A send from `sender`: the message gets SENT (and INBOX when addressed to oneself) in the sender's
 * mailbox, joins a thread by Gmail's rules, and a copy without Bcc reaches every other sandbox recipient.
 */
export async function sendFrom(state: SandboxState, sender: Mailbox, raw: Buffer, requestedThreadId?: string): Promise<SendResult> {
  const now = new Date();
  const complete = completeOutgoing(raw, sender.name ? `${sender.name} <${sender.address}>` : sender.address, now);
  const mail = await parseMail(complete);
  const recipients = [...new Set([...mail.to, ...mail.cc, ...mail.bcc])];
  if (recipients.length === 0) throw invalidArgument('Recipient address required');
  const toSelf = recipients.includes(sender.address);
  const message = sender.insert(complete, mail, {
    labels: toSelf ? ['SENT', 'INBOX'] : ['SENT'],
    internalDate: now.getTime(),
    ...(requestedThreadId ? { requestedThreadId } : {}),
  });
  const others = recipients.filter((r) => r !== sender.address);
  const copies = await deliverTo(state, others, removeHeader(complete, 'Bcc'), now.getTime());
  return { message, copies: [copyOf(sender, message), ...copies] };
}

/** Inbound delivery into every sandbox mailbox among `targets` (others are outside the sandbox). */
export async function deliverTo(state: SandboxState, targets: string[], raw: Buffer, internalDate: number): Promise<DeliveredCopy[]> {
  const copies: DeliveredCopy[] = [];
  for (const address of [...new Set(targets.map((t) => t.toLowerCase()))]) {
    const mailbox = state.findMailbox(address);
    if (!mailbox) continue;
    const copy = prependHeaders(raw, [['Delivered-To', mailbox.address]]);
    const message = mailbox.insert(copy, await parseMail(copy), { labels: ['INBOX', 'UNREAD'], internalDate });
    copies.push(copyOf(mailbox, message));
  }
  return copies;
}
