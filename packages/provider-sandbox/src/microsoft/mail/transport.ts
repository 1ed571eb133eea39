import { GraphHttpError, badRequest } from '../http/respond';
import { graphTime, newChangeKey, newImmutableId, newRestId } from '../ids';
import type { SandboxState } from '../state';
import { recipient } from './compose';
import { transportHeaders } from './headers';
import { MAX_MESSAGE_BYTES } from './limits';
import type { Mailbox } from './mailbox';
import { messageSize, type StoredMessage } from './model';

export interface SendHooks {
  /** Counted per mailbox: one per send action. */
  onSend(mailbox: Mailbox): void;
}

function checkSendable(owner: Mailbox, m: StoredMessage): void {
  if (m.toRecipients.length + m.ccRecipients.length + m.bccRecipients.length === 0) {
    throw badRequest('At least one recipient is not valid., A message can\'t be sent because it contains no recipients.', 'ErrorInvalidRecipients');
  }
  const from = m.from?.emailAddress.address.toLowerCase();
  if (from && from !== owner.address) {
    throw new GraphHttpError(403, 'ErrorSendAsDenied', 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.');
  }
  if (messageSize(m) > MAX_MESSAGE_BYTES) throw badRequest('The message exceeds the maximum supported size.', 'ErrorMessageSizeExceeded');
}

/** The recipient's copy: new ids, no Bcc list, transport headers, its own conversation id. */
export function deliverCopy(target: Mailbox, source: StoredMessage, extraHeaders: Record<string, string> = {}): StoredMessage {
  const now = graphTime(Date.now());
  const copy: StoredMessage = {
    ...source,
    immutableId: newImmutableId(),
    restId: newRestId(),
    createdDateTime: now,
    lastModifiedDateTime: now,
    receivedDateTime: source.receivedDateTime,
    changeKey: newChangeKey(),
    bccRecipients: [],
    isDraft: false,
    isRead: false,
    categories: [],
    attachments: source.attachments.map((a) => ({ ...a })),
    references: [...source.references],
    conversationIndex: Buffer.from(source.conversationIndex),
  };
  target.assignConversation(copy, source.conversationIndex.length ? source.conversationIndex : null);
  copy.transportHeaders = transportHeaders(copy, extraHeaders);
  target.insert(copy, target.wellKnown('inbox').id);
  return copy;
}

function sandboxRecipients(state: SandboxState, m: StoredMessage): Mailbox[] {
  const addresses = [...m.toRecipients, ...m.ccRecipients, ...m.bccRecipients].map((r) => r.emailAddress.address.toLowerCase());
  return [...new Set(addresses)].map((a) => state.mailbox(a)).filter((mb): mb is Mailbox => mb !== undefined);
}

/**
 * Sends an item of `owner`: a draft already stored (send action) or a new one (sendMail). The
 * sender copy goes to Sent Items unless saveToSentItems is false; sandbox recipients get a copy.
 */
export function submit(state: SandboxState, owner: Mailbox, m: StoredMessage, saveToSentItems: boolean, hooks: SendHooks): StoredMessage {
  checkSendable(owner, m);
  const now = graphTime(Date.now());
  const self = recipient(owner.address, owner.displayName);
  m.from = m.from ?? self;
  m.sender = self;
  m.isDraft = false;
  m.isRead = true;
  m.sentDateTime = now;
  m.receivedDateTime = now;
  const stored = owner.messages.has(m.immutableId);
  if (stored && saveToSentItems) owner.move(m, owner.wellKnown('sentitems').id);
  else if (stored) owner.remove(m);
  else if (saveToSentItems) owner.insert(m, owner.wellKnown('sentitems').id);
  hooks.onSend(owner);
  for (const target of sandboxRecipients(state, m)) deliverCopy(target, m);
  return m;
}
