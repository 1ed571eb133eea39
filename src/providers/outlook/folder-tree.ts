import type { Client } from '@microsoft/microsoft-graph-client';
import type { WellKnownIds } from './folder-cursor';

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** Folders never read, by well-known name (provider-facts 2: Graph v1.0 folders carry no well-known name, so ids are asked for). */
const SKIPPED = ['drafts', 'junkemail', 'deleteditems', 'outbox'] as const;
const PAGE = 100;

interface FolderItem {
  id: string;
  childFolderCount?: number;
}

/** The ids of Inbox, Sent Items and the skipped folders: asked once per mailbox, then kept in the cursor. */
export async function resolveWellKnown(graph: Client, call: Call): Promise<WellKnownIds> {
  const idOf = async (name: string) => String((await call(() => graph.api(`/me/mailFolders/${name}`).select('id').get())).id);
  const skipped: string[] = [];
  for (const name of SKIPPED) skipped.push(await idOf(name));
  return { inbox: await idOf('inbox'), sentitems: await idOf('sentitems'), skipped };
}

/**
 * Every visible mail folder's id, top of the tree first, then child folders of folders that have
 * some; a skipped folder's subtree (e.g. folders deleted into Deleted Items) is not entered.
 */
export async function listFolderIds(graph: Client, call: Call, skipped: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  const queue = [`/me/mailFolders?$top=${PAGE}&$select=id,childFolderCount`];
  for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
    const page = await call(() => graph.api(url!).get());
    for (const folder of (page.value ?? []) as FolderItem[]) {
      if (skipped.includes(folder.id) || ids.includes(folder.id)) continue;
      ids.push(folder.id);
      if ((folder.childFolderCount ?? 0) > 0) queue.push(`/me/mailFolders/${folder.id}/childFolders?$top=${PAGE}&$select=id,childFolderCount`);
    }
    if (page['@odata.nextLink']) queue.unshift(String(page['@odata.nextLink']));
  }
  return ids;
}
