/** The subset of Gmail search (`q`) the sandbox understands; unknown operators match as text. */

export interface Searchable {
  internalDate: number;
  labelIds: ReadonlySet<string>;
  rfcMessageId: string;
  from: string[];
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
}

export interface Term {
  negated: boolean;
  op: string;
  value: string;
}

/** Splits on spaces outside quotes: `from:a@b.c -in:sent subject:"hello there"`. */
export function parseQuery(q: string): Term[] {
  const tokens = q.match(/-?[a-z0-9_]+:"[^"]*"|-?"[^"]*"|\S+/gi) ?? [];
  return tokens.map((token) => {
    const negated = token.startsWith('-') && token.length > 1;
    const body = negated ? token.slice(1) : token;
    const match = /^([a-z0-9_]+):(.*)$/i.exec(body);
    const strip = (v: string) => v.replace(/^"|"$/g, '');
    return match ? { negated, op: match[1]!.toLowerCase(), value: strip(match[2]!) } : { negated, op: 'text', value: strip(body) };
  });
}

/** Epoch seconds, or yyyy/mm/dd (taken as UTC midnight). */
export function parseSearchDate(value: string): number | null {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

const LABEL_ALIASES: Record<string, string> = { inbox: 'INBOX', sent: 'SENT', trash: 'TRASH', spam: 'SPAM', draft: 'DRAFT', drafts: 'DRAFT', starred: 'STARRED', unread: 'UNREAD', important: 'IMPORTANT' };

const labelOf = (value: string): string => LABEL_ALIASES[value.toLowerCase()] ?? value;

const containsAddress = (list: string[], value: string): boolean => list.some((a) => a.includes(value.toLowerCase()));

function matchTerm(term: Term, m: Searchable): boolean {
  switch (term.op) {
    case 'rfc822msgid':
      return m.rfcMessageId.replace(/^<|>$/g, '').toLowerCase() === term.value.replace(/^<|>$/g, '').toLowerCase();
    case 'after':
      return m.internalDate >= (parseSearchDate(term.value) ?? Number.NEGATIVE_INFINITY);
    case 'before':
      return m.internalDate < (parseSearchDate(term.value) ?? Number.POSITIVE_INFINITY);
    case 'in':
      return term.value.toLowerCase() === 'anywhere' || m.labelIds.has(labelOf(term.value));
    case 'label':
      return m.labelIds.has(labelOf(term.value)) || m.labelIds.has(term.value.toUpperCase());
    case 'is':
      return term.value.toLowerCase() === 'read' ? !m.labelIds.has('UNREAD') : m.labelIds.has(labelOf(term.value));
    case 'from':
      return containsAddress(m.from, term.value);
    case 'to':
      return containsAddress(m.to, term.value) || containsAddress(m.cc, term.value) || containsAddress(m.bcc, term.value);
    case 'cc':
      return containsAddress(m.cc, term.value);
    case 'bcc':
      return containsAddress(m.bcc, term.value);
    case 'subject':
      return m.subject.toLowerCase().includes(term.value.toLowerCase());
    default: {
      const needle = (term.op === 'text' ? term.value : `${term.op}:${term.value}`).toLowerCase();
      return `${m.subject}\n${m.text}`.toLowerCase().includes(needle);
    }
  }
}

export function matchesQuery(terms: Term[], m: Searchable): boolean {
  return terms.every((t) => matchTerm(t, m) !== t.negated);
}

/** Spam and trash stay out of results unless asked for, by flag or by an explicit in:/label: term. */
export function includesSpamTrash(terms: Term[], flag: boolean): boolean {
  return flag || terms.some((t) => !t.negated && ((t.op === 'in' && /^(anywhere|trash|spam)$/i.test(t.value)) || (t.op === 'label' && /^(trash|spam)$/i.test(t.value))));
}
