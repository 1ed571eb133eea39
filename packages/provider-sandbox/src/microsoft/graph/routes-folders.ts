import { GraphHttpError, badRequest, json, notFound } from '../http/respond';
import { parseFilter } from '../http/filter';
import { deltaPage, type DeltaRange } from '../mail/delta';
import type { Folder } from '../mail/model';
import { fullMessage, messageToGraph } from '../mail/represent';
import type { DeltaQuery } from '../mail/sync-states';
import { odata, preferenceApplied, type GraphContext, type Route } from './context';

const DEFAULT_DELTA_PAGE = 10;
/** Delta accepts only a received-date lower bound as $filter (provider-facts 2.3). */
const DELTA_FILTER = /^\s*receivedDateTime\s+(ge|gt)\s+\S+\s*$/i;

function folderOf(ctx: GraphContext, ref: string | undefined): Folder {
  const folder = ref ? ctx.mailbox.folder(ref) : undefined;
  if (!folder) throw notFound();
  return folder;
}

function syncStateLost(ctx: GraphContext, folder: Folder, token: string): GraphHttpError {
  const g = ctx.mailbox.syncStates.generations(token);
  return new GraphHttpError(410, 'SyncStateNotFound', `The sync state generation is not found; generation=${g.token};[highest=${g.highest}]`, {
    Location: `${ctx.base}/mailFolders/${folder.id}/messages/delta`,
  });
}

function startOrResume(ctx: GraphContext, folder: Folder): { range: DeltaRange; query: DeltaQuery } {
  const token = ctx.req.query.get('$skiptoken') ?? ctx.req.query.get('$deltatoken');
  if (token === undefined) {
    const q = odata(ctx);
    if (q.filterText && !DELTA_FILTER.test(q.filterText)) throw badRequest('Delta query on messages supports only $filter=receivedDateTime ge|gt {value}.', 'BadRequest');
    return { range: { base: 0, upto: folder.seq, after: 0 }, query: { select: q.select, filter: q.filterText, expand: q.expand } };
  }
  const state = ctx.mailbox.syncStates.get(token);
  if (!state || state.folderId !== folder.id) throw syncStateLost(ctx, folder, token);
  if (state.kind === 'page') return { range: state.range, query: state.query };
  return { range: { base: state.base, upto: folder.seq, after: 0 }, query: state.query };
}

function delta(ctx: GraphContext, ref: string | undefined) {
  const folder = folderOf(ctx, ref);
  const { range, query } = startOrResume(ctx, folder);
  const pageSize = ctx.prefer.maxPageSize ?? (Number(ctx.req.query.get('$top')) || DEFAULT_DELTA_PAGE);
  const filter = query.filter ? parseFilter(query.filter) : null;
  const include = (key: string) => {
    const m = ctx.mailbox.messages.get(key);
    return m !== undefined && (!filter || filter(fullMessage(ctx.mailbox, m, false)));
  };
  const page = deltaPage(folder.changes, range, pageSize, include);
  const opts = { immutableIds: ctx.prefer.immutableIds, select: query.select, expandAttachments: query.expand.includes('attachments'), textBody: ctx.prefer.textBody };
  const value = page.items.flatMap((item) => {
    const m = ctx.mailbox.messages.get(item.key);
    if (item.kind === 'removed') {
      const id = ctx.prefer.immutableIds ? item.key : (folder.changes.get(item.key)?.restId ?? item.key);
      return [{ '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } }];
    }
    return m ? [messageToGraph(ctx.mailbox, m, opts)] : [];
  });
  const link = `${ctx.base}/mailFolders/${folder.id}/messages/delta`;
  const tokenLink = page.next
    ? { '@odata.nextLink': `${link}?$skiptoken=${ctx.mailbox.syncStates.put({ kind: 'page', folderId: folder.id, range: page.next, query })}` }
    : { '@odata.deltaLink': `${link}?$deltatoken=${ctx.mailbox.syncStates.put({ kind: 'round', folderId: folder.id, base: range.upto, query })}` };
  const body = { '@odata.context': `${ctx.services.config.origin}/v1.0/$metadata#Collection(message)`, value, ...tokenLink };
  return json(200, body, preferenceApplied(ctx, pageSize));
}

export const folderRoutes: Route[] = [
  { name: 'messages.delta', method: 'GET', path: 'mailFolders/:folder/messages/delta', handler: (ctx, p) => delta(ctx, p.folder) },
];
