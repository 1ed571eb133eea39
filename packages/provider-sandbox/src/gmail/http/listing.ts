import { invalidArgument } from '../errors';
import type { Mailbox } from '../store/mailbox';
import type { StoredMessage } from '../store/message';
import { includesSpamTrash, matchesQuery, parseQuery, type Searchable } from '../store/search';
import { decodePageToken } from '../store/history';

export interface Selection {
  q?: string;
  labelIds: string[];
  includeSpamTrash: boolean;
}

const searchable = (m: StoredMessage): Searchable => ({
  internalDate: m.internalDate,
  labelIds: m.labelIds,
  rfcMessageId: m.mail.rfcMessageId,
  from: m.mail.from,
  to: m.mail.to,
  cc: m.mail.cc,
  bcc: m.mail.bcc,
  subject: m.mail.subject,
  text: m.mail.text,
});

/** Matching messages, newest first, as messages.list orders them. */
export function selectMessages(mailbox: Mailbox, sel: Selection): StoredMessage[] {
  const terms = parseQuery(sel.q ?? '');
  const spamTrash = includesSpamTrash(terms, sel.includeSpamTrash);
  return [...mailbox.messages.values()]
    .filter((m) => spamTrash || (!m.labelIds.has('SPAM') && !m.labelIds.has('TRASH')))
    .filter((m) => sel.labelIds.every((l) => m.labelIds.has(l)))
    .filter((m) => matchesQuery(terms, searchable(m)))
    .sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
}

/** Offset paging behind an opaque token. */
export function pageOf<T>(items: T[], pageToken: string | undefined, size: number): { page: T[]; nextOffset?: number } {
  const offset = pageToken ? decodePageToken(pageToken) : 0;
  if (offset === null) throw invalidArgument('Invalid pageToken');
  const page = items.slice(offset, offset + size);
  return offset + size < items.length ? { page, nextOffset: offset + size } : { page };
}
