import { formatMailbox, formatMailboxes, type StoredMessage } from '../mail/message';
import type { WatchState } from '../state';
import type { SandboxMessage, WatchInfo } from './types';

export function messageView(m: StoredMessage): SandboxMessage {
  const s = m.summary;
  return {
    id: m.id,
    threadId: m.threadId,
    labelIds: [...m.labelIds],
    internalDate: String(m.internalDate),
    historyId: String(m.historyId),
    rfcMessageId: s.rfcMessageId,
    subject: s.subject,
    from: formatMailboxes(s.from),
    to: s.to.map(formatMailbox),
    cc: s.cc.map(formatMailbox),
    bcc: s.bcc.map(formatMailbox),
    inReplyTo: s.inReplyTo.map((id) => `<${id}>`),
    references: s.references.map((id) => `<${id}>`),
    text: s.text,
    html: s.html,
    attachments: s.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
    sizeEstimate: m.raw.length,
  };
}

export function watchView(watch: WatchState | null, active: boolean): WatchInfo {
  return {
    active,
    topicName: watch?.topicName ?? null,
    labelIds: watch ? [...watch.labelIds] : [],
    labelFilterBehavior: watch?.labelFilterBehavior ?? null,
    expiration: watch ? String(watch.expiration) : null,
  };
}
