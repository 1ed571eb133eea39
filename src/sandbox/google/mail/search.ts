/** The fields of a stored message that Gmail search looks at. */
export interface Searchable {
  internalDate: number;
  labelIds: string[];
  rfcMessageId: string;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  text: string;
  hasAttachment: boolean;
}

type Op = 'rfc822msgid' | 'after' | 'before' | 'in' | 'label' | 'is' | 'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'has' | 'text';

export interface Term {
  op: Op;
  value: string;
  negate: boolean;
}

export interface ParsedQuery {
  terms: Term[];
  /** `in:anywhere`, `in:trash` and `in:spam` search where Gmail otherwise never looks. */
  includesSpamTrash: boolean;
}

const OPS = new Set<string>(['rfc822msgid', 'after', 'before', 'in', 'label', 'is', 'from', 'to', 'cc', 'bcc', 'subject', 'has', 'newer_than', 'older_than']);
const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { d: DAY_MS, m: 30 * DAY_MS, y: 365 * DAY_MS };
const IN_LABEL: Record<string, string> = { inbox: 'INBOX', sent: 'SENT', trash: 'TRASH', spam: 'SPAM', draft: 'DRAFT', drafts: 'DRAFT', starred: 'STARRED', important: 'IMPORTANT' };
const IS_LABEL: Record<string, [string, boolean]> = { unread: ['UNREAD', true], read: ['UNREAD', false], starred: ['STARRED', true], important: ['IMPORTANT', true] };

function tokenize(q: string): string[] {
  return [...q.matchAll(/-?(?:[a-z0-9_]+:)?(?:"[^"]*"|\S+)/gi)].map((m) => m[0]);
}

/** Epoch seconds or a YYYY/MM/DD date (read as UTC; Gmail uses the account's time zone). */
export function parseDateBound(value: string): number | null {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

function relativeTerm(op: string, value: string, negate: boolean, now: number): Term | null {
  const m = /^(\d+)([dmy])$/i.exec(value);
  if (!m) return null;
  const bound = String(Math.floor((now - Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!) / 1000));
  return { op: op === 'newer_than' ? 'after' : 'before', value: bound, negate };
}

export function parseQuery(q: string, now: number = Date.now()): ParsedQuery {
  const terms: Term[] = [];
  let includesSpamTrash = false;
  for (const token of tokenize(q)) {
    const negate = token.startsWith('-') && token.length > 1;
    const body = negate ? token.slice(1) : token;
    const colon = body.indexOf(':');
    const op = colon > 0 ? body.slice(0, colon).toLowerCase() : '';
    const value = (colon > 0 && OPS.has(op) ? body.slice(colon + 1) : body).replace(/^"|"$/g, '');
    if (op === 'newer_than' || op === 'older_than') {
      const term = relativeTerm(op, value, negate, now);
      if (term) terms.push(term);
      continue;
    }
    if (op === 'in' && ['anywhere', 'trash', 'spam'].includes(value.toLowerCase())) includesSpamTrash = true;
    if (op === 'in' && value.toLowerCase() === 'anywhere') continue;
    terms.push({ op: (OPS.has(op) ? op : 'text') as Op, value, negate });
  }
  return { terms, includesSpamTrash };
}

const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());
const bareId = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

function termMatches(term: Term, m: Searchable): boolean {
  switch (term.op) {
    case 'rfc822msgid':
      return bareId(m.rfcMessageId) === bareId(term.value);
    case 'after':
    case 'before': {
      const bound = parseDateBound(term.value);
      if (bound === null) return false;
      return term.op === 'after' ? m.internalDate >= bound : m.internalDate < bound;
    }
    case 'in':
      return m.labelIds.includes(IN_LABEL[term.value.toLowerCase()] ?? term.value.toUpperCase());
    case 'label':
      return m.labelIds.some((l) => l.toLowerCase() === term.value.toLowerCase());
    case 'is': {
      const [label, present] = IS_LABEL[term.value.toLowerCase()] ?? [term.value.toUpperCase(), true];
      return m.labelIds.includes(label) === present;
    }
    case 'has':
      return term.value.toLowerCase() === 'attachment' ? m.hasAttachment : false;
    case 'text':
      return [m.subject, m.text, m.from, m.to, m.cc].some((field) => contains(field, term.value));
    default:
      return contains(m[term.op], term.value);
  }
}

export function matchesQuery(query: ParsedQuery, message: Searchable): boolean {
  return query.terms.every((term) => termMatches(term, message) !== term.negate);
}
