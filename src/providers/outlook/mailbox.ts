import { attach, fitsOneRequest, type UploadFetch } from './large-attachments';
import type { Client } from '@microsoft/microsoft-graph-client';
import { unboundedCalls, type CallSlots } from '../call-slots';
import type { CallMeter, ChangePage, Cursor, FetchedMessage, MailboxAdapter, MessageUpdate, SentRef } from '../types';
import { classifyDeltaItems, type DeltaItem } from './delta-items';
import { DELTA_SELECT as SELECT, readChanges, startingCursor } from './delta-read';
import { resolveWellKnown } from './folder-tree';
import { readOutlookContent } from './read-message';

/** Folders a message is named by (well-known name) instead of its display name. */
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
  /** The account's calls in flight in this process, bounded under Graph's 4 per mailbox (call-slots.ts); unbounded without. */
  slots?: CallSlots;
}

/**
 * Outlook through Microsoft Graph. Changes come from per-folder delta rounds over every mail folder
 * but Drafts, Junk Email, Deleted Items and Outbox (delta-read.ts); each folder's first round, also
 * for folders found later, is filtered to mail received from connect on (R13).
 */
export function createOutlookMailbox(opts: OutlookMailboxOptions): MailboxAdapter {
  const { graph, meter } = opts;
  const slots = opts.slots ?? unboundedCalls;
  /** Items met in this activity's delta reads, with the folder they are in. */
  const seen = new Map<string, DeltaItem & { folder: string }>();
  const call = <T>(fn: () => Promise<T>): Promise<T> => {
    meter.calls++;
    meter.units++;
    return slots(fn);
  };

  // Folder ids are opaque: Sent Items and the folders never read are known by asking for their ids by
  // well-known name, once (the delta walk keeps them in its cursor).
  let wellKnown: ReturnType<typeof resolveWellKnown> | null = null;
  const known = () => (wellKnown ??= resolveWellKnown(graph, call));
  let sentItemsId: Promise<string> | null = null;
  const sentFolderId = () => (sentItemsId ??= known().then((k) => k.sentitems));

  // Well-known folder ids, asked once per activity and only when a stored message left a folder read.
  let namedFolders: Promise<Map<string, string>> | null = null;
  const folderNames = () =>
    (namedFolders ??= Promise.all(
      NAMED_FOLDERS.map(async (name) => [String((await call(() => graph.api(`/me/mailFolders/${name}`).header('Prefer', 'IdType="ImmutableId"').select('id').get())).id), name] as const),
    ).then((pairs) => new Map(pairs)));

  // A folder as the CRM sees it: Inbox, Sent Items and Deleted Items by well-known name, others by display name.
  const labels = new Map<string, Promise<string>>();
  const folderLabel = (folderId: string): Promise<string> => {
    let label = labels.get(folderId);
    if (!label) {
      label = folderNames().then(
        async (named) => named.get(folderId) ?? String((await call(() => graph.api(`/me/mailFolders/${folderId}`).select('displayName').get())).displayName),
      );
      labels.set(folderId, label);
    }
    return label;
  };

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
    const folder = await folderLabel(String(res.parentFolderId));
    return { providerMessageId: id, folder, deleted: known === 'deleteditems' ? 'trash' : null, ...(typeof res.isRead === 'boolean' ? { read: res.isRead } : {}) };
  }

  /** A message not met in this activity's delta rounds (reconciliation, audit): its folder is read, not guessed. */
  async function metadata(id: string): Promise<DeltaItem & { folder: string }> {
    const cachedItem = seen.get(id);
    if (cachedItem) return cachedItem;
    const res = await call(() => graph.api(`/me/messages/${id}`).header('Prefer', 'IdType="ImmutableId"').select(SELECT).get());
    return { ...(res as DeltaItem), folder: String(res.parentFolderId ?? '') };
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
      return startingCursor(new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString().replace('.000Z', 'Z'));
    },

    async listChanges(cursor: Cursor): Promise<ChangePage> {
      const read = await readChanges(graph, call, cursor, new Date());
      if (read.sentId) sentItemsId ??= Promise.resolve(read.sentId);
      const ids: string[] = [];
      const updates: MessageUpdate[] = [];
      // Each folder's delta reports its own items: a message moved from A to B is `@removed` in A and listed in B.
      for (const { item, folderId } of read.items) {
        const folder = item['@removed'] ? '' : await folderLabel(item.parentFolderId ?? folderId);
        const classified = classifyDeltaItems([item], folder);
        updates.push(...classified.updates);
        for (const present of classified.present) {
          seen.set(present.id, { ...present, folder: present.parentFolderId ?? folderId });
          if (!ids.includes(present.id)) ids.push(present.id);
        }
      }
      return { messageIds: ids, updates, next: read.next, more: read.more };
    },

    async locate(ids) {
      const located: MessageUpdate[] = [];
      for (const id of ids) located.push(await locateOne(id));
      return located;
    },

    /** Reconciliation reads every folder at once (`/me/messages`), so the folders never synced are left out here. */
    async listReceivedSince(since, pageToken) {
      const url = pageToken ?? `/me/messages?$select=${SELECT}&$filter=receivedDateTime ge ${since}&$top=100`;
      const res = await call(() => graph.api(url).header('Prefer', 'IdType="ImmutableId"').get());
      const items = ((res.value ?? []) as DeltaItem[]).filter((i) => !i.isDraft);
      const skipped = items.length ? (await known()).skipped : [];
      return { messageIds: items.filter((i) => !skipped.includes(i.parentFolderId ?? '')).map((i) => i.id), nextPageToken: res['@odata.nextLink'] ?? null };
    },

    async fetchMessage(id): Promise<FetchedMessage | null> {
      try {
        const meta = await metadata(id);
        const parsed = await readOutlookContent(graph, call, id, opts.maxInlineMessageBytes);
        return {
          providerMessageId: id,
          providerThreadId: meta.conversationId ?? id,
          receivedAt: meta.receivedDateTime ?? new Date().toISOString(),
          inSent: meta.folder === (await sentFolderId()),
          notMail: meta.isDraft ? 'draft' : null,
          parsed,
          state: { ...(meta.folder ? { folder: await folderLabel(meta.folder) } : {}), ...(typeof meta.isRead === 'boolean' ? { read: meta.isRead } : {}) },
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
          // Updates (read, moved) and deletions too: they reach the CRM as message.updated / .deleted, and an
          // idle mailbox is polled only hours apart.
          changeType: 'created,updated,deleted',
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
