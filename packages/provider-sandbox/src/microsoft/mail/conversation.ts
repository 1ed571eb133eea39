import { randomBytes } from 'node:crypto';

/**
 * Exchange-style conversations. Exchange keys a conversation by the GUID inside the
 * conversation index (Thread-Index header, MS-OXOMSG 2.2.1.3) and its topic, the subject without
 * reply/forward prefixes: a reply joins its parent's conversation only while the topic matches, so
 * a subject edit starts a new conversation even with In-Reply-To/References in place.
 */

const PREFIX = /^\s*(re|fw|fwd|aw|wg|sv|vs|tr|rv|antw|res|enc|odp|vl|r)\s*:\s*/i;

export function normalizeSubject(subject: string): string {
  let s = subject;
  while (PREFIX.test(s)) s = s.replace(PREFIX, '');
  return s.replace(/\s+/g, ' ').trim();
}

export const sameTopic = (a: string, b: string): boolean => normalizeSubject(a).toLowerCase() === normalizeSubject(b).toLowerCase();

const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;
const filetime = (ms: number): bigint => (BigInt(ms) + FILETIME_EPOCH_OFFSET_MS) * 10_000n;

/** Header block: one reserved byte, the high 40 bits of the FILETIME, then the conversation GUID. */
export function newConversationIndex(nowMs: number, guid: Buffer = randomBytes(16)): Buffer {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(filetime(nowMs));
  return Buffer.concat([Buffer.from([1]), time.subarray(0, 5), guid]);
}

/** A child block: five bytes of time difference appended to the parent's index. */
export function childConversationIndex(parent: Buffer, nowMs: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(filetime(nowMs));
  const child = Buffer.alloc(5);
  header.copy(child, 0, 3, 8);
  return Buffer.concat([parent, child]);
}

/** The conversation GUID (hex) of a well-formed index, else null. */
export function conversationGuid(index: Buffer | null): string | null {
  if (!index || index.length < 22 || (index.length - 22) % 5 !== 0) return null;
  return index.subarray(6, 22).toString('hex');
}

/** Graph's conversationId: an entry id naming the mailbox and the conversation GUID. */
export function conversationIdFor(mailboxGuid: string, guidHex: string): string {
  const mailbox = Buffer.from(mailboxGuid, 'ascii');
  return Buffer.concat([Buffer.from([0, 4, 36, 0]), mailbox, Buffer.from([0, 16, 0, 0]), Buffer.from(guidHex, 'hex')]).toString('base64');
}

export interface ThreadFacts {
  subject: string;
  /** In-Reply-To first, then References from the most recent back. */
  parentIds: string[];
  threadIndex: Buffer | null;
}

export interface ConversationSource {
  /** A message of this mailbox by Message-ID. */
  byMessageId(internetMessageId: string): { guid: string; index: Buffer } | undefined;
  /** The topic of a conversation this mailbox knows. */
  topicOf(guid: string): string | undefined;
}

export interface Assigned {
  guid: string;
  index: Buffer;
}

export function assignConversation(facts: ThreadFacts, source: ConversationSource, nowMs: number): Assigned {
  const incomingGuid = conversationGuid(facts.threadIndex);
  for (const id of facts.parentIds) {
    const parent = source.byMessageId(id);
    if (!parent) continue;
    const topic = source.topicOf(parent.guid);
    if (topic === undefined || !sameTopic(topic, facts.subject)) break;
    const index = incomingGuid === parent.guid && facts.threadIndex ? facts.threadIndex : childConversationIndex(parent.index, nowMs);
    return { guid: parent.guid, index };
  }
  if (incomingGuid && facts.threadIndex) {
    const topic = source.topicOf(incomingGuid);
    if (topic === undefined || sameTopic(topic, facts.subject)) return { guid: incomingGuid, index: facts.threadIndex };
  }
  const index = newConversationIndex(nowMs);
  return { guid: index.subarray(6, 22).toString('hex'), index };
}

/** In-Reply-To first, then References newest first, without repeats. */
export function parentIdsOf(inReplyTo: string | null, references: string[]): string[] {
  const ids = [...(inReplyTo ? [inReplyTo] : []), ...[...references].reverse()];
  return [...new Set(ids)];
}
