import { badRequest, json, type HttpResponse } from '../http/respond';
import type { Folder, StoredMessage } from '../mail/model';
import { fullMessage, messageToGraph } from '../mail/represent';
import { odata, preferenceApplied, representation, type GraphContext } from './context';

const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

const SORTABLE = new Set(['receivedDateTime', 'sentDateTime', 'createdDateTime', 'lastModifiedDateTime', 'subject']);

function sortKey(m: StoredMessage, field: string): string {
  const value = (m as unknown as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

/** Newest first unless $orderby says otherwise; ties follow arrival order in the same direction. */
function sorted(list: StoredMessage[], orderby: { field: string; desc: boolean }[]): StoredMessage[] {
  const keys = orderby.length ? orderby : [{ field: 'receivedDateTime', desc: true }];
  for (const k of keys) if (!SORTABLE.has(k.field)) throw badRequest(`The property '${k.field}' cannot be used in the $orderby query option.`, 'BadRequest');
  return [...list].sort((a, b) => {
    for (const { field, desc } of keys) {
      const c = sortKey(a, field).localeCompare(sortKey(b, field));
      if (c !== 0) return desc ? -c : c;
    }
    return (keys[0]?.desc ? -1 : 1) * (a.arrival - b.arrival);
  });
}

/** GET messages (all folders) or mailFolders/{id}/messages, with $filter, $orderby, $top, $skip. */
export function listMessages(ctx: GraphContext, folder: Folder | null): HttpResponse {
  const q = odata(ctx);
  const top = Math.min(q.top ?? ctx.prefer.maxPageSize ?? DEFAULT_PAGE, MAX_PAGE);
  const candidates = ctx.mailbox.list(folder?.id).filter((m) => !q.filter || q.filter(fullMessage(ctx.mailbox, m, ctx.prefer.immutableIds)));
  const ordered = sorted(candidates, q.orderby);
  const page = ordered.slice(q.skip, q.skip + top);
  const opts = representation(ctx, q);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.services.config.origin}/v1.0/$metadata#users('${ctx.mailbox.userId}')/messages`,
    value: page.map((m) => messageToGraph(ctx.mailbox, m, opts)),
  };
  if (q.skip + top < ordered.length) {
    const url = new URL(`${ctx.base}${ctx.req.pathname.replace(/^\/v1\.0\/(me|users\/[^/]+)/i, '')}`);
    const params = new Map(ctx.req.query);
    params.set('$skip', String(q.skip + top));
    if (!params.has('$top')) params.set('$top', String(top));
    url.search = [...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    body['@odata.nextLink'] = url.toString();
  }
  return json(200, body, preferenceApplied(ctx));
}
