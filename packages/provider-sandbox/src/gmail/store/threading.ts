/** Gmail's thread assignment for a new message in one mailbox (provider-facts 1.2 and 3). */

const PREFIX = /^\s*(?:(?:re|fwd?|aw|sv|wg|antw|vs|tr|rif)\s*(?:\[\d+\])?\s*[:：]\s*)+/i;

/** Subject as Gmail compares it: reply and forward prefixes off, case and spacing ignored. */
export function normalizeSubject(subject: string): string {
  return subject.replace(PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Message-ids as bare `left@right`, in the order they appear. */
export function parseMessageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : value ?? '';
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  if (bracketed.length > 0) return bracketed;
  return text.split(/[\s,]+/).filter((t) => t.includes('@'));
}

export const bareMessageId = (id: string): string => id.trim().replace(/^<|>$/g, '').toLowerCase();

export interface ThreadCandidate {
  threadId: string;
  normalizedSubject: string;
}

export interface ThreadRequest {
  requestedThreadId?: string;
  normalizedSubject: string;
  inReplyTo: string[];
  references: string[];
}

/** Most relevant first: the direct parent, then the reference chain from newest to oldest. */
function referencedIds(req: ThreadRequest): string[] {
  const ordered = [...req.inReplyTo, ...[...req.references].reverse()].map(bareMessageId);
  return [...new Set(ordered)];
}

/**
 * The thread a message joins, or null for a new one. A requested thread is honoured only when the
 * message references one of its messages and the subjects match; otherwise a referenced message with
 * the same subject decides; otherwise the message starts a thread.
 */
export function assignThread(req: ThreadRequest, lookup: (bareId: string) => ThreadCandidate[]): string | null {
  const candidates = referencedIds(req).flatMap((id) => lookup(id)).filter((c) => c.normalizedSubject === req.normalizedSubject);
  if (req.requestedThreadId && candidates.some((c) => c.threadId === req.requestedThreadId)) return req.requestedThreadId;
  return candidates[0]?.threadId ?? null;
}
