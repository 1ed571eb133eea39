import { attach, fitsOneRequest, type UploadFetch } from './large-attachments';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { CallMeter, ChangePage, Cursor, FetchedMessage, MailboxAdapter, MessageUpdate, SentRef } from '../types';
import { classifyDeltaItems, type DeltaItem } from './delta-items';
import { readOutlookContent } from './read-message';

const FOLDERS = { inbox: 'inbox', sent: 'sentitems' } as const;
type Turn = keyof typeof FOLDERS;
const PAGE_SIZE = 50;
const SELECT = 'id,conversationId,receivedDateTime,parentFolderId,isDraft,isRead';
/** Folders a located message is named by (well-known name) instead of its display name. */
const NAMED_FOLDERS = ['inbox', 'sentitems', 'deleteditems'] as const;

export interface OutlookMailboxOptions {
  graph: Client;
  meter: CallMeter;
  /** Where Graph POSTs change notifications and lifecycle events (https). */
  notificationUrl: string;
  clientState: string;
  subscriptionMinutes: number;
  /** Subscription id kept by mailsync (in the cursor table), so a renewal PATCHes instead of adding one. */
  subscriptionId: string | null;
  saveSubscription(id: string | null): Promise<void>;
  /** Messages over this size are read without their attachments' bytes (read-message.ts). */
  maxInlineMessageBytes: number;
  /** PUTs to an attachment upload session's URL (pre-authorised: no bearer token, same trust as the Graph client). */
  upload: UploadFetch;
}

/**
 * Outlook through Microsoft Graph. Changes come from per-folder delta rounds (Inbox, then Sent Items);
 * the first round is filtered to mail received from connect on, because Graph has no "sync from now" (R13).
 */
export function createOutlookMailbox(opts: OutlookMailboxOptions): MailboxAdapter {
  const { graph, meter } = opts;
  const seen = new Map<string, DeltaItem & { folder: Turn }>();
  const call = <T>(fn: () => Promise<T>): Promise<T> => {
    meter.calls++;
    meter.units++;
    return fn();
  };

  const initialLink = (folder: Turn, since: string) =>
    `/me/mailFolders/${FOLDERS[folder]}/messages/delta?$select=${SELECT}&$filter=receivedDateTime ge ${since}`;

  async function deltaPage(url: string): Promise<{ items: DeltaItem[]; next: string | null; delta: string | null }> {
    const res = await call(() => graph.api(url).header('Prefer', `odata.maxpagesize=${PAGE_SIZE}, IdType="ImmutableId"`).get());
    return { items: res.value ?? [], next: res['@odata.nextLink'] ?? null, delta: res['@odata.deltaLink'] ?? null };
  }

  // Folder ids are opaque: Sent Items is known by asking for its id once (well-known name `sentitems`).
  let sentItemsId: Promise<string> | null = null;
  const sentFolderId = () =>
    (sentItemsId ??= call(() => graph.api(`/me/mailFolders/${FOLDERS.sent}`).header('Prefer', 'IdType="ImmutableId"').select('id').get()).then((f) => String(f.id)));

  // Well-known folder ids, asked once per activity and only when a stored message left a folder read.
  let namedFolders: Promise<Map<string, string>> | null = null;
  const folderNames = () =>
    (namedFolders ??= Promise.all(
      NAMED_FOLDERS.map(async (name) => [String((await call(() => graph.api(`/me/mailFolders/${name}`).header('Prefer', 'IdType="ImmutableId"').select('id').get())).id), name] as const),
    ).then((pairs) => new Map(pairs)));

  /** Where a message that left a folder read is now: another folder, Deleted Items, or nowhere (deleted for good). */
  async function locateOne(id: string): Promise<MessageUpdate> {
    let res: { isRead?: boolean; parentFolderId?: string };
    try {
      res = await call(() => graph.api(`/me/messages/${id}`).header('Prefer', 'IdType="ImmutableId"').select('id,isRead,parentFolderId').get());
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return { providerMessageId: id, deleted: 'permanent' };
      throw err;
    }
    const known = (await folderNames()).get(String(res.parentFolderId));
    const folder = known ?? String((await call(() => graph.api(`/me/mailFolders/${res.parentFolderId}`).select('displayName').get())).displayName);
    return { providerMessageId: id, folder, deleted: known === 'deleteditems' ? 'trash' : null, ...(typeof res.isRead === 'boolean' ? { read: res.isRead } : {}) };
  }

  /** A message not met in this activity's delta rounds (reconciliation, audit): its folder is read, not guessed. */
  async function metadata(id: string): Promise<DeltaItem & { folder: Turn }> {
    const cachedItem = seen.get(id);
    if (cachedItem) return cachedItem;
    const res = await call(() => graph.api(`/me/messages/${id}`).header('Prefer', 'IdType="ImmutableId"').select(`${SELECT},isDraft`).get());
    const folder: Turn = res.parentFolderId && res.parentFolderId === (await sentFolderId()) ? 'sent' : 'inbox';
    return { ...(res as DeltaItem), folder };
  }

  return {
    provider: 'outlook',

    async address() {
      const me = await call(() => graph.api('/me').select('mail,userPrincipalName').get());
      return String(me.mail ?? me.userPrincipalName ?? '');
    },

    /**
     * The baseline: delta rounds filtered to mail received from now on, one per folder. Graph keeps
     * receivedDateTime to the second, so the filter starts a minute early; the rules drop anything
     * older than the connection (R13).
     */
    async currentCursor(): Promise<Cursor> {
      const since = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString().replace('.000Z', 'Z');
      return { inbox: initialLink('inbox', since), sent: initialLink('sent', since), turn: 'inbox' };
    },

    async listChanges(cursor: Cursor): Promise<ChangePage> {
      const turn = (cursor.turn as Turn) ?? 'inbox';
      const page = await deltaPage(cursor[turn]!);
      const { present, updates } = classifyDeltaItems(page.items, FOLDERS[turn]);
      for (const item of present) seen.set(item.id, { ...item, folder: turn });
      const ids = present.map((i) => i.id);
      if (page.next) return { messageIds: ids, updates, next: { ...cursor, [turn]: page.next }, more: true };
      const next: Cursor = { ...cursor, [turn]: page.delta ?? cursor[turn]!, turn: turn === 'inbox' ? 'sent' : 'inbox' };
      return { messageIds: ids, updates, next, more: turn === 'inbox' };
    },

    async locate(ids) {
      const located: MessageUpdate[] = [];
      for (const id of ids) located.push(await locateOne(id));
      return located;
    },

    async listReceivedSince(since, pageToken) {
      const url = pageToken ?? `/me/messages?$select=${SELECT}&$filter=receivedDateTime ge ${since}&$top=100`;
      const res = await call(() => graph.api(url).header('Prefer', 'IdType="ImmutableId"').get());
      const items = (res.value ?? []) as DeltaItem[];
      return { messageIds: items.filter((i) => !i.isDraft).map((i) => i.id), nextPageToken: res['@odata.nextLink'] ?? null };
    },

    async fetchMessage(id): Promise<FetchedMessage | null> {
      try {
        const meta = await metadata(id);
        const parsed = await readOutlookContent(graph, call, id, opts.maxInlineMessageBytes);
        return {
          providerMessageId: id,
          providerThreadId: meta.conversationId ?? id,
          receivedAt: meta.receivedDateTime ?? new Date().toISOString(),
          inSent: meta.folder === 'sent',
          notMail: meta.isDraft ? 'draft' : null,
          parsed,
          state: { folder: FOLDERS[meta.folder], ...(typeof meta.isRead === 'boolean' ? { read: meta.isRead } : {}) },
        };
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return null;
        throw err;
      }
    },

    async setRead(id, read) {
      const res = await call(() => graph.api(`/me/messages/${id}`).header('Prefer', 'IdType="ImmutableId"').patch({ isRead: read }));
      return { read: Boolean(res.isRead) };
    },

    async findByRfcMessageId(rfcMessageId): Promise<SentRef | null> {
      const escaped = rfcMessageId.replace(/'/g, "''");
      const res = await call(() =>
        graph.api('/me/messages').header('Prefer', 'IdType="ImmutableId"').filter(`internetMessageId eq '${encodeURIComponent(escaped)}'`).select('id,conversationId,isDraft').get(),
      );
      const hits = (res.value ?? []) as DeltaItem[];
      const sent = hits.find((h) => !h.isDraft);
      if (sent) return { providerMessageId: sent.id, providerThreadId: sent.conversationId ?? sent.id };
      // A draft left by an attempt that died before `send`: send that draft now instead of another copy.
      const draft = hits.find((h) => h.isDraft);
      if (!draft) return null;
      await call(() => graph.api(`/me/messages/${draft.id}/send`).post({}));
      return { providerMessageId: draft.id, providerThreadId: draft.conversationId ?? draft.id };
    },

    /**
     * Draft from our MIME (Message-ID, In-Reply-To, References kept), then send: the id is known before
     * sending. A message too large for one 4 MB Graph request is drafted without its attachments, which
     * then go up one by one (large-attachments.ts).
     */
    async send(message): Promise<SentRef> {
      const whole = fitsOneRequest(message.raw);
      const mime = whole ? message.raw : await message.withoutAttachments();
      const draft = await call(() =>
        graph.api('/me/messages').header('Content-Type', 'text/plain').header('Prefer', 'IdType="ImmutableId"').post(mime.toString('base64')),
      );
      if (!whole) for (const attachment of message.attachments) await attach(graph, call, opts.upload, draft.id, attachment);
      await call(() => graph.api(`/me/messages/${draft.id}/send`).post({}));
      return { providerMessageId: draft.id, providerThreadId: draft.conversationId ?? draft.id };
    },

    async watch() {
      const expiresAt = new Date(Date.now() + opts.subscriptionMinutes * 60_000).toISOString();
      if (opts.subscriptionId) {
        try {
          await call(() => graph.api(`/subscriptions/${opts.subscriptionId}`).patch({ expirationDateTime: expiresAt }));
          return { expiresAt };
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 404) throw err;
        }
      }
      const sub = await call(() =>
        graph.api('/subscriptions').post({
          changeType: 'created',
          notificationUrl: opts.notificationUrl,
          lifecycleNotificationUrl: opts.notificationUrl,
          resource: '/me/messages',
          expirationDateTime: expiresAt,
          clientState: opts.clientState,
        }),
      );
      await opts.saveSubscription(sub.id);
      return { expiresAt };
    },

    async stopWatch() {
      if (!opts.subscriptionId) return;
      try {
        await call(() => graph.api(`/subscriptions/${opts.subscriptionId}`).delete());
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
      await opts.saveSubscription(null);
    },
  };
}
