/**
 * What a read message may carry that Postgres refuses, made storable before the rules see it. Any
 * sender can write these, and a page that fails to store is read again and fails again: the mailbox
 * would stop there.
 * - NUL characters: `text` and `jsonb` refuse U+0000, so it is removed from every string.
 * - Values that go into a btree index (Message-IDs; addresses, which become contacts by R18) must fit
 *   its row limit (about 2.7 KB): an over-long Message-ID is no id, an over-long address no mailbox.
 */
import type { EmailAddress } from './types';

/** RFC 5322's line limit: a Message-ID longer than a header line is not one a client wrote. */
export const MAX_MESSAGE_ID_BYTES = 998;
/** RFC 5321's limit on a path: no longer address can receive mail. */
export const MAX_ADDRESS_BYTES = 254;

const NUL = /\u0000/g;

/** Every string in a plain value without NUL characters; Buffers (attachment bytes) are left as they are. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replace(NUL, '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v)])) as T;
}

const fits = (value: string, maxBytes: number) => Buffer.byteLength(value, 'utf8') <= maxBytes;

const messageId = (id: string | null): string | null => (id !== null && fits(id, MAX_MESSAGE_ID_BYTES) ? id : null);

const mailboxes = (list: EmailAddress[]): EmailAddress[] => list.filter((a) => fits(a.address, MAX_ADDRESS_BYTES));

interface Storable {
  rfcMessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
}

/** The message as Postgres will store it (see the header): the same shape, hostile values left out. */
export function storable<T extends Storable>(parsed: T): T {
  const clean = withoutNul(parsed);
  return {
    ...clean,
    rfcMessageId: messageId(clean.rfcMessageId),
    inReplyTo: messageId(clean.inReplyTo),
    references: clean.references.filter((id) => fits(id, MAX_MESSAGE_ID_BYTES)),
    from: clean.from && fits(clean.from.address, MAX_ADDRESS_BYTES) ? clean.from : null,
    to: mailboxes(clean.to),
    cc: mailboxes(clean.cc),
    bcc: mailboxes(clean.bcc),
  };
}
