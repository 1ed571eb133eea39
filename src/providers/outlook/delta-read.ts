import type { Client } from '@microsoft/microsoft-graph-client';
import type { Cursor } from '../types';
import { applyListing, dropFolder, finishFolder, parseFolderCursor, startCursor, toCursor, withLink, type FolderCursor } from './folder-cursor';
import { listFolderIds, resolveWellKnown } from './folder-tree';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

export const DELTA_SELECT = 'id,conversationId,receivedDateTime,parentFolderId,isDraft,isRead';
const PAGE_SIZE = 50;
/** Delta calls one read may make across folders with nothing new, so an idle round is one activity, not one per folder. */
const MAX_DELTA_CALLS = 20;

export interface DeltaItem {
  id: string;
  conversationId?: string;
  receivedDateTime?: string;
  parentFolderId?: string;
  isDraft?: boolean;
  '@removed'?: unknown;
}

export interface DeltaRead {
  /** Each item with the folder whose delta reported it, in the order read. */
  items: { item: DeltaItem; folderId: string }[];
  next: Cursor;
  /** False when the round over the folders is complete. */
  more: boolean;
  /** Sent Items' id, once known. */
  sentId: string | null;
}

/** Graph has no "sync from now" for messages, so a folder's first round is filtered by received date (R13). */
export const initialLink = (folderId: string, since: string) =>
  `/me/mailFolders/${folderId}/messages/delta?$select=${DELTA_SELECT}&$filter=receivedDateTime ge ${since}`;

/** The stream's position now: folders are listed by the first read, each folder's first round from `since` on. */
export const startingCursor = (since: string): Cursor => toCursor(startCursor(since));

/**
 * One read of the per-folder delta walk: a round starts by listing the folder tree; then folders are
 * read in turn, page by page, and the read stops at a page with more to come, once enough ids are in
 * hand, or at the end of the round.
 */
export async function readChanges(graph: Client, call: Call, cursor: Cursor, now: Date): Promise<DeltaRead> {
  let c = parseFolderCursor(cursor, now);
  if (c.turn === '') c = await listFolders(graph, call, c, now);
  const items: DeltaRead['items'] = [];
  const done = (more: boolean): DeltaRead => ({ items, next: toCursor(c), more, sentId: c.sent || null });
  for (let calls = 0; c.turn !== ''; calls++) {
    if (calls >= MAX_DELTA_CALLS || items.length >= PAGE_SIZE) return done(true);
    const folderId = c.turn;
    const link = c.links[folderId];
    const page = link ? await deltaPage(graph, call, link) : null;
    if (!page) {
      c = dropFolder(c, folderId);
      continue;
    }
    for (const item of page.items) items.push({ item, folderId });
    if (page.next) {
      c = withLink(c, folderId, page.next);
      return done(true);
    }
    c = finishFolder(c, folderId, page.delta ?? link!);
  }
  return done(false);
}

async function listFolders(graph: Client, call: Call, c: FolderCursor, now: Date): Promise<FolderCursor> {
  const known = c.sent ? undefined : await resolveWellKnown(graph, call);
  const skipped = known ? known.skipped : c.skip.split(' ').filter(Boolean);
  return applyListing(c, await listFolderIds(graph, call, skipped), now, initialLink, known);
}

/** Null when the folder is gone (deleted since the listing). */
async function deltaPage(graph: Client, call: Call, url: string): Promise<{ items: DeltaItem[]; next: string | null; delta: string | null } | null> {
  try {
    const res = await call(() => graph.api(url).header('Prefer', `odata.maxpagesize=${PAGE_SIZE}, IdType="ImmutableId"`).get());
    return { items: res.value ?? [], next: res['@odata.nextLink'] ?? null, delta: res['@odata.deltaLink'] ?? null };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}
