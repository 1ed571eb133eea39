/** Reply and forward prefixes in the languages Gmail users commonly see, possibly repeated (`Re: Fwd: Re:`). */
const PREFIX = /^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|tr|rif|enc|odp|res|ref)\s*(?:\[\d+\])?\s*:\s*)+/i;

/** Gmail's subject match ignores reply/forward prefixes, case and spacing. */
export function normalizeSubject(subject: string | undefined): string {
  return (subject ?? '').replace(PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

export interface ThreadCandidate {
  threadId: string;
  subject: string;
}

export interface ThreadRequest {
  /** The threadId given to messages.send, if any (only senders can ask for a thread). */
  requestedThreadId?: string;
  subject: string;
  inReplyTo: string[];
  references: string[];
}

export interface ThreadIndex {
  /** Messages of this mailbox carrying the given Message-ID (without brackets). */
  byMessageId(rfcMessageId: string): ThreadCandidate[];
  threadSize(threadId: string): number;
}

/** Gmail splits a conversation once it reaches 100 messages. */
export const MAX_THREAD_SIZE = 100;

/**
 * Picks the thread of a new message, or null for a new thread. A requested thread is used when one
 * of the message's references names a message of that thread with the same subject; otherwise a
 * referenced message with the same subject gives its thread (closest reference first).
 */
export function assignThread(request: ThreadRequest, index: ThreadIndex): string | null {
  const subject = normalizeSubject(request.subject);
  const refs = [...new Set([...request.inReplyTo, ...[...request.references].reverse()])];
  const open = (threadId: string) => index.threadSize(threadId) < MAX_THREAD_SIZE;
  const matches = refs.flatMap((ref) => index.byMessageId(ref)).filter((c) => normalizeSubject(c.subject) === subject);
  if (request.requestedThreadId !== undefined) {
    const inRequested = matches.find((c) => c.threadId === request.requestedThreadId);
    if (inRequested && open(inRequested.threadId)) return inRequested.threadId;
  }
  return matches.find((c) => open(c.threadId))?.threadId ?? null;
}
