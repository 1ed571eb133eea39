import { Readable } from 'node:stream';
import type { gmail_v1 } from 'googleapis';
import type { CallMeter, ChangePage, Cursor, FetchedMessage, MailboxAdapter, MessageState, SentRef } from '../types';
import { collectUpdates, stateFromLabels } from './history-updates';
import { GMAIL_UNITS } from './quota';
import { readGmailMessage } from './read-message';

const HISTORY_PAGE_SIZE = 100;
/** Labels whose arrival makes a message visible to sync (a message moved into the inbox, R13 still applies). */
const VISIBLE_LABELS = new Set(['INBOX', 'SENT']);

export interface GmailMailboxOptions {
  gmail: gmail_v1.Gmail;
  meter: CallMeter;
  pubsubTopic: string;
  /** Messages over this size are read without their attachments' bytes (read-message.ts). */
  maxInlineMessageBytes: number;
  /** The API root (GOOGLE_API_ROOT): googleapis builds upload URLs from a per-call rootUrl, not the client's. */
  apiRoot: string;
}

export function createGmailMailbox(opts: GmailMailboxOptions): MailboxAdapter {
  const { gmail, meter } = opts;
  const users = gmail.users;
  const count = (units: number) => {
    meter.calls++;
    meter.units += units;
  };

  return {
    provider: 'gmail',

    async address() {
      count(GMAIL_UNITS.getProfile);
      const res = await users.getProfile({ userId: 'me' });
      return res.data.emailAddress ?? '';
    },

    async currentCursor() {
      count(GMAIL_UNITS.getProfile);
      const res = await users.getProfile({ userId: 'me' });
      return { historyId: String(res.data.historyId) };
    },

    async listChanges(cursor: Cursor): Promise<ChangePage> {
      count(GMAIL_UNITS.historyList);
      const res = await users.history.list({
        userId: 'me',
        startHistoryId: cursor.historyId,
        historyTypes: ['messageAdded', 'labelAdded', 'labelRemoved', 'messageDeleted'],
        maxResults: HISTORY_PAGE_SIZE,
        ...(cursor.pageToken ? { pageToken: cursor.pageToken } : {}),
      });
      const history = res.data.history ?? [];
      const ids = collectMessageIds(history);
      const updates = collectUpdates(history);
      if (res.data.nextPageToken) {
        return { messageIds: ids, updates, next: { historyId: cursor.historyId!, pageToken: res.data.nextPageToken }, more: true };
      }
      return { messageIds: ids, updates, next: { historyId: String(res.data.historyId ?? cursor.historyId) }, more: false };
    },

    async listReceivedSince(since, pageToken) {
      count(GMAIL_UNITS.messagesList);
      const afterSeconds = Math.floor(Date.parse(since) / 1000);
      const res = await users.messages.list({
        userId: 'me',
        q: `after:${afterSeconds}`,
        maxResults: 100,
        includeSpamTrash: false,
        ...(pageToken ? { pageToken } : {}),
      });
      return { messageIds: (res.data.messages ?? []).map((m) => m.id!).filter(Boolean), nextPageToken: res.data.nextPageToken ?? null };
    },

    fetchMessage(id): Promise<FetchedMessage | null> {
      return readGmailMessage(users, id, opts.maxInlineMessageBytes, count);
    },

    async findByRfcMessageId(rfcMessageId): Promise<SentRef | null> {
      count(GMAIL_UNITS.messagesList);
      // in:sent: a received message that reuses our Message-ID must not pass for the copy we sent.
      const q = `rfc822msgid:${rfcMessageId.replace(/^<|>$/g, '')} in:sent`;
      const res = await users.messages.list({ userId: 'me', q, includeSpamTrash: true });
      const hit = res.data.messages?.[0];
      return hit?.id ? { providerMessageId: hit.id, providerThreadId: hit.threadId ?? hit.id } : null;
    },

    async setRead(id, read): Promise<MessageState> {
      count(GMAIL_UNITS.messagesModify);
      const change = read ? { removeLabelIds: ['UNREAD'] } : { addLabelIds: ['UNREAD'] };
      const res = await users.messages.modify({ userId: 'me', id, requestBody: change });
      return stateFromLabels(res.data.labelIds ?? []);
    },

    /** Through the upload endpoint (`uploadType=multipart`, message/rfc822): up to 35 MB, where JSON `raw` stops far earlier. */
    async send(message, threadId): Promise<SentRef> {
      count(GMAIL_UNITS.messagesSend);
      const res = await users.messages.send(
        { userId: 'me', requestBody: threadId ? { threadId } : {}, media: { mimeType: 'message/rfc822', body: Readable.from([message.raw]) } },
        { rootUrl: opts.apiRoot },
      );
      return { providerMessageId: res.data.id!, providerThreadId: res.data.threadId! };
    },

    async watch() {
      count(GMAIL_UNITS.watch);
      const res = await users.watch({ userId: 'me', requestBody: { topicName: opts.pubsubTopic, labelIds: ['INBOX', 'SENT'], labelFilterBehavior: 'include' } });
      return { expiresAt: new Date(Number(res.data.expiration)).toISOString() };
    },

    async stopWatch() {
      count(GMAIL_UNITS.stop);
      await users.stop({ userId: 'me' });
    },
  };
}

/** Message ids added, or given a visible label, in first-seen order without repeats. */
export function collectMessageIds(history: gmail_v1.Schema$History[]): string[] {
  const seen = new Set<string>();
  const ids: string[] = [];
  const add = (id: string | null | undefined) => {
    if (id && !seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  };
  for (const record of history) {
    for (const added of record.messagesAdded ?? []) add(added.message?.id);
    for (const labelled of record.labelsAdded ?? []) {
      if ((labelled.labelIds ?? []).some((l) => VISIBLE_LABELS.has(l))) add(labelled.message?.id);
    }
  }
  return ids;
}
