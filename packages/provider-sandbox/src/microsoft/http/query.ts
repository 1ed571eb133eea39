import { FilterError, parseFilter, type Filter } from './filter';

/**
 * Query strings as Graph reads them: '+' is a space (encode a literal plus as %2B), names of
 * OData options are case-insensitive.
 */
export function parseQuery(search: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const name = decode(rawName);
    out.set(name.startsWith('$') ? name.toLowerCase() : name, decode(rawValue));
  }
  return out;
}

function decode(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export class QueryError extends Error {}

export interface ODataQuery {
  select: string[] | null;
  filter: Filter | null;
  filterText: string | null;
  top: number | null;
  skip: number;
  orderby: { field: string; desc: boolean }[];
  expand: string[];
  /** Nested `$select` per expanded property: `$expand=attachments($select=id,size)`. */
  expandSelect: Record<string, string[]>;
}

const list = (v: string | undefined): string[] | null =>
  v === undefined ? null : v.split(',').map((s) => s.trim()).filter(Boolean);

/** `$expand` items: split at the commas outside parentheses, each with its nested `$select`, if any. */
function expandItems(v: string | undefined): { name: string; select: string[] | null }[] {
  if (v === undefined) return [];
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= v.length; i++) {
    const ch = v[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if ((ch === ',' && depth === 0) || i === v.length) {
      items.push(v.slice(start, i).trim());
      start = i + 1;
    }
  }
  return items.filter(Boolean).map((item) => {
    const name = item.replace(/\(.*$/s, '').trim();
    const options = /\((.*)\)\s*$/s.exec(item)?.[1] ?? '';
    const select = /(?:^|;)\s*\$select=([^;]*)/i.exec(options)?.[1];
    return { name, select: list(select) };
  });
}

function intOption(query: Map<string, string>, name: string): number | null {
  const raw = query.get(name);
  if (raw === undefined) return null;
  if (!/^\d+$/.test(raw.trim())) throw new QueryError(`Invalid value '${raw}' for query option ${name}.`);
  return Number(raw);
}

export function parseODataQuery(query: Map<string, string>): ODataQuery {
  const filterText = query.get('$filter') ?? null;
  let filter: Filter | null = null;
  if (filterText !== null) {
    try {
      filter = parseFilter(filterText);
    } catch (err) {
      if (err instanceof FilterError) throw new QueryError(`Invalid filter clause: ${err.message}`);
      throw err;
    }
  }
  const orderby = (list(query.get('$orderby')) ?? []).map((part) => {
    const [field = '', dir = 'asc'] = part.split(/\s+/);
    return { field, desc: dir.toLowerCase() === 'desc' };
  });
  const items = expandItems(query.get('$expand'));
  const expand = items.map((e) => e.name);
  const expandSelect = Object.fromEntries(items.flatMap((e) => (e.select ? [[e.name, e.select]] : [])));
  return { select: list(query.get('$select')), filter, filterText, top: intOption(query, '$top'), skip: intOption(query, '$skip') ?? 0, orderby, expand, expandSelect };
}
