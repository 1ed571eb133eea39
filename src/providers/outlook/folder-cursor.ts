import type { Cursor } from '../types';

/**
 * Where the Outlook change stream stands over the mailbox's folder tree: one Graph delta link per
 * synced folder (a nextLink mid-round, a deltaLink between rounds), the folder being read, and what
 * the last listing of the tree found. Pure: the walk and the delta calls are in folder-tree.ts and
 * delta-read.ts.
 *
 * Stored as a flat JSON object of strings (`Cursor`): `since`, `turn`, `listedAt`, `sent`, `skip`,
 * and `folder:<id>` per folder. `turn` '' means a round starts: list the folders first.
 */
export interface FolderCursor {
  /** Received-date floor of every folder's first round, also for folders found later (R13). */
  since: string;
  /** Folder id being read; '' when the next read starts a round (after listing the folders). */
  turn: string;
  /** When the folder tree was last listed ('' never). */
  listedAt: string;
  /** Sent Items' id ('' until resolved): a message there is the user's own (inSent). */
  sent: string;
  /** Ids of the folders never read (Drafts, Junk Email, Deleted Items, Outbox), space separated. */
  skip: string;
  /** Folder id → the link its next delta call follows. */
  links: Record<string, string>;
}

const FOLDER = 'folder:';

/** The stream's start: nothing listed yet; every folder's first round filtered to mail received from `since` on. */
export const startCursor = (since: string): FolderCursor => ({ since, turn: '', listedAt: '', sent: '', skip: '', links: {} });

/**
 * Reads a stored cursor. The cursor before the folder walk (`{inbox, sent, turn}`, links by
 * well-known name) keeps its two links, keyed by those names until the next listing renames them;
 * its start is unknown, so folders it never read start from `now` (R13 holds; nothing older is pulled).
 */
export function parseFolderCursor(cursor: Cursor, now: Date): FolderCursor {
  if (cursor.since === undefined && (cursor.inbox !== undefined || cursor.sent !== undefined)) {
    const links: Record<string, string> = {};
    if (cursor.inbox) links.inbox = cursor.inbox;
    if (cursor.sent) links.sentitems = cursor.sent;
    return { ...startCursor(now.toISOString()), links };
  }
  const links: Record<string, string> = {};
  for (const [key, value] of Object.entries(cursor)) if (key.startsWith(FOLDER)) links[key.slice(FOLDER.length)] = value;
  return { since: cursor.since ?? now.toISOString(), turn: cursor.turn ?? '', listedAt: cursor.listedAt ?? '', sent: cursor.sent ?? '', skip: cursor.skip ?? '', links };
}

export function toCursor(c: FolderCursor): Cursor {
  const out: Cursor = { since: c.since, turn: c.turn, listedAt: c.listedAt, sent: c.sent, skip: c.skip };
  for (const id of folderOrder(c)) out[FOLDER + id] = c.links[id]!;
  return out;
}

/** The order folders are read in a round: by id, so it needs no stored list and survives folders coming and going. */
export const folderOrder = (c: FolderCursor): string[] => Object.keys(c.links).sort();

/** The well-known folders a listing resolves once (Graph v1.0 folders do not say which they are). */
export interface WellKnownIds {
  inbox: string;
  sentitems: string;
  /** Never read: drafts are not mail yet, junk and deleted mail is not the user's correspondence, outbox is on its way to Sent Items. */
  skipped: string[];
}

/**
 * A listing of the tree (ids of every folder to read, excluded subtrees already left out) applied:
 * new folders start a first round filtered at `since`, gone folders are dropped, kept folders keep
 * their links, and the round starts at the first folder.
 */
export function applyListing(c: FolderCursor, folderIds: string[], now: Date, initialLink: (folderId: string, since: string) => string, known?: WellKnownIds): FolderCursor {
  const renamed = known ? { ...c.links, ...legacyLinks(c.links, known) } : c.links;
  const links: Record<string, string> = {};
  for (const id of folderIds) links[id] = renamed[id] ?? initialLink(id, c.since);
  const next: FolderCursor = {
    ...c,
    links,
    listedAt: now.toISOString(),
    ...(known ? { sent: known.sentitems, skip: known.skipped.join(' ') } : {}),
  };
  return { ...next, turn: folderOrder(next)[0] ?? '' };
}

function legacyLinks(links: Record<string, string>, known: WellKnownIds): Record<string, string> {
  const out: Record<string, string> = {};
  if (links.inbox) out[known.inbox] = links.inbox;
  if (links.sentitems) out[known.sentitems] = links.sentitems;
  return out;
}

/** The folder's next page starts at `link`; the round goes on in the same folder. */
export const withLink = (c: FolderCursor, folderId: string, link: string): FolderCursor => ({ ...c, links: { ...c.links, [folderId]: link } });

/** The folder's round is complete (its deltaLink stored): the turn passes to the next folder, or '' after the last. */
export function finishFolder(c: FolderCursor, folderId: string, deltaLink: string): FolderCursor {
  const next = withLink(c, folderId, deltaLink);
  return { ...next, turn: folderOrder(next).find((id) => id > folderId) ?? '' };
}

/** A folder that no longer exists (deleted mid-round): dropped, and the turn passes on as if it were done. */
export function dropFolder(c: FolderCursor, folderId: string): FolderCursor {
  const { [folderId]: _gone, ...links } = c.links;
  return { ...c, links, turn: Object.keys(links).sort().find((id) => id > folderId) ?? '' };
}
