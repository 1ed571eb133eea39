import { jsonBody } from '../http/request';
import { GraphHttpError, badRequest, empty, json, notFound, type HttpResponse } from '../http/respond';
import type { Folder } from '../mail/model';
import type { GraphContext, Route } from './context';

/** Graph pages folder lists 10 at a time unless $top says otherwise. */
const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

/** A folder by id or well-known name; msgfolderroot stands for the top of the tree (null). */
function parentOf(ctx: GraphContext, ref: string | undefined): Folder | null {
  if (ref && ctx.mailbox.isRoot(ref)) return null;
  const folder = ref ? ctx.mailbox.folder(ref) : undefined;
  if (!folder) throw notFound();
  return folder;
}

export function folderToGraph(ctx: GraphContext, f: Folder): Record<string, unknown> {
  const items = ctx.mailbox.list(f.id);
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentId ?? ctx.mailbox.rootId,
    childFolderCount: ctx.mailbox.children(f.id).length,
    unreadItemCount: items.filter((m) => !m.isRead).length,
    totalItemCount: items.length,
    isHidden: f.isHidden,
  };
}

const intParam = (ctx: GraphContext, name: string): number | null => {
  const raw = ctx.req.query.get(name);
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value '${raw}' for ${name}.`, 'BadRequest');
  return n;
};

/** One page of a folder list, hidden folders only with `includeHiddenFolders=true`, as Graph does. */
function listFolders(ctx: GraphContext, parent: Folder | null): HttpResponse {
  const hidden = (ctx.req.query.get('includeHiddenFolders') ?? '').toLowerCase() === 'true';
  const all = ctx.mailbox.children(parent?.id ?? null).filter((f) => hidden || !f.isHidden);
  const top = Math.min(intParam(ctx, '$top') ?? DEFAULT_PAGE, MAX_PAGE);
  const skip = intParam(ctx, '$skip') ?? 0;
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.services.config.origin}/v1.0/$metadata#users('${ctx.mailbox.userId}')/mailFolders`,
    value: all.slice(skip, skip + top).map((f) => folderToGraph(ctx, f)),
  };
  if (skip + top < all.length) {
    const url = new URL(`${ctx.base}${ctx.req.pathname.replace(/^\/v1\.0\/(me|users\/[^/]+)/i, '')}`);
    const params = new Map(ctx.req.query);
    params.set('$top', String(top));
    params.set('$skip', String(skip + top));
    url.search = [...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    body['@odata.nextLink'] = url.toString();
  }
  return json(200, body);
}

function createFolder(ctx: GraphContext, parent: Folder | null): HttpResponse {
  const body = (jsonBody(ctx.req) ?? {}) as { displayName?: unknown; isHidden?: unknown };
  if (typeof body.displayName !== 'string' || !body.displayName.trim()) throw badRequest("The 'displayName' property is required.", 'ErrorInvalidRequest');
  const folder = ctx.mailbox.createFolder(body.displayName, parent?.id ?? null, body.isHidden === true);
  if (!folder) throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  return json(201, folderToGraph(ctx, folder));
}

/** Deleting a folder moves it, with what it holds, under Deleted Items; well-known folders stay. */
function deleteFolder(ctx: GraphContext, ref: string | undefined): HttpResponse {
  const folder = parentOf(ctx, ref);
  if (!folder || folder.wellKnownName) throw new GraphHttpError(403, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
  folder.parentId = ctx.mailbox.wellKnown('deleteditems').id;
  return empty(204);
}

export const folderTreeRoutes: Route[] = [
  { name: 'mailFolders.list', method: 'GET', path: 'mailFolders', handler: (ctx) => listFolders(ctx, null) },
  { name: 'mailFolders.create', method: 'POST', path: 'mailFolders', handler: (ctx) => createFolder(ctx, null) },
  {
    name: 'mailFolders.get',
    method: 'GET',
    path: 'mailFolders/:folder',
    handler: (ctx, p) => {
      const folder = parentOf(ctx, p.folder);
      return folder ? json(200, folderToGraph(ctx, folder)) : json(200, { id: ctx.mailbox.rootId, displayName: 'Top of Information Store', parentFolderId: null, childFolderCount: ctx.mailbox.children(null).length });
    },
  },
  { name: 'mailFolders.delete', method: 'DELETE', path: 'mailFolders/:folder', handler: (ctx, p) => deleteFolder(ctx, p.folder) },
  { name: 'mailFolders.childFolders', method: 'GET', path: 'mailFolders/:folder/childFolders', handler: (ctx, p) => listFolders(ctx, parentOf(ctx, p.folder)) },
  { name: 'mailFolders.createChild', method: 'POST', path: 'mailFolders/:folder/childFolders', handler: (ctx, p) => createFolder(ctx, parentOf(ctx, p.folder)) },
];
