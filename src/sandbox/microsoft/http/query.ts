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
}

const list = (v: string | undefined): string[] | null =>
  v === undefined ? null : v.split(',').map((s) => s.trim()).filter(Boolean);

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
  const expand = (list(query.get('$expand')) ?? []).map((e) => e.replace(/\(.*$/, ''));
  return { select: list(query.get('$select')), filter, filterText, top: intOption(query, '$top'), skip: intOption(query, '$skip') ?? 0, orderby, expand };
}
