import type { gmail_v1 } from 'googleapis';
import { GoogleApiError, notFound } from '../http/google-errors';
import type { StoredMessage } from '../mail/message';
import { messageRef } from '../mail/message-resource';
import { matchesQuery, parseQuery, type Searchable } from '../mail/search';
import { formatMailboxes } from '../mail/message';
import { metadataOnly } from '../oauth/scopes';
import type { GmailCall } from './call';
import type { GmailRoute } from './messages-routes';
import { formatFor, render } from './messages-routes';
import { boolParam, checkId, decodePageToken, encodePageToken, maxResults } from './params';

const USER = '/gmail/v1/users/:userId';

function searchable(m: StoredMessage): Searchable {
  const s = m.summary;
  return {
    internalDate: m.internalDate,
    labelIds: m.labelIds,
    rfcMessageId: s.rfcMessageId,
    from: formatMailboxes(s.from),
    to: formatMailboxes(s.to),
    cc: formatMailboxes(s.cc),
    bcc: formatMailboxes(s.bcc),
    subject: s.subject,
    text: s.text,
    hasAttachment: s.attachments.length > 0,
  };
}

/** Messages matching q, labelIds and includeSpamTrash, newest first. */
function filtered(call: GmailCall): StoredMessage[] {
  const q = call.url.searchParams.get('q') ?? '';
  if (q && metadataOnly(call.grant.scopes)) throw new GoogleApiError(403, "Metadata scope does not support 'q' parameter", 'forbidden');
  const query = parseQuery(q);
  const labelIds = call.url.searchParams.getAll('labelIds');
  const spamTrash = boolParam(call.url, 'includeSpamTrash') || query.includesSpamTrash || labelIds.some((l) => l === 'SPAM' || l === 'TRASH');
  return call.account.store.all().filter((m) => {
    if (!spamTrash && m.labelIds.some((l) => l === 'SPAM' || l === 'TRASH')) return false;
    if (!labelIds.every((l) => m.labelIds.includes(l))) return false;
    return matchesQuery(query, searchable(m));
  });
}

const isOffset = (v: unknown): v is { offset: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { offset?: unknown }).offset) && (v as { offset: number }).offset >= 0;

/** One page of `items` from the offset in the page token. */
function page<T>(call: GmailCall, items: T[]): { items: T[]; nextPageToken?: string } {
  const offset = decodePageToken(call.url, isOffset)?.offset ?? 0;
  const size = maxResults(call.url);
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? { nextPageToken: encodePageToken({ offset: offset + size }) } : {};
  return { items: slice, ...next };
}

function listMessages(call: GmailCall): gmail_v1.Schema$ListMessagesResponse {
  const all = filtered(call);
  const { items, nextPageToken } = page(call, all);
  return { ...(items.length > 0 ? { messages: items.map(messageRef) } : {}), ...(nextPageToken ? { nextPageToken } : {}), resultSizeEstimate: all.length };
}

function listThreads(call: GmailCall): gmail_v1.Schema$ListThreadsResponse {
  const threadIds = [...new Set(filtered(call).map((m) => m.threadId))];
  const { items, nextPageToken } = page(call, threadIds);
  const threads = items.map((id) => {
    const messages = call.account.store.thread(id);
    const last = messages[messages.length - 1]!;
    return { id, snippet: last.snippet, historyId: String(Math.max(...messages.map((m) => m.historyId))) };
  });
  return { ...(threads.length > 0 ? { threads } : {}), ...(nextPageToken ? { nextPageToken } : {}), resultSizeEstimate: threadIds.length };
}

function getThread(call: GmailCall): gmail_v1.Schema$Thread {
  const format = formatFor(call);
  const messages = call.account.store.thread(checkId(call.params.id!));
  if (messages.length === 0) throw notFound();
  const historyId = String(Math.max(...messages.map((m) => m.historyId)));
  return { id: call.params.id!, historyId, messages: messages.map((m) => render(call, m, format)) };
}

export function listRoutes(): GmailRoute[] {
  return [
    ['GET', `${USER}/messages`, 'messages.list', listMessages],
    ['GET', `${USER}/threads`, 'threads.list', listThreads],
    ['GET', `${USER}/threads/:id`, 'threads.get', getThread],
  ];
}
