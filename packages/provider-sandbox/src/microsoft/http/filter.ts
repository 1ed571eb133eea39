/**
 * A small OData $filter: comparisons (eq ne gt ge lt le), and/or/not, parentheses, startswith /
 * endswith / contains, and `collection/any(x: ...)` lambdas - what mail clients use on messages.
 * Strings compare case-insensitively, as Exchange's property filters do.
 */

export class FilterError extends Error {}

export type Filter = (item: unknown) => boolean;

type Token = { kind: 'punct' | 'string' | 'word'; text: string };

const WORD = /[A-Za-z0-9_@.\-:/+]/;

/** A quoted literal starting at `start` (the opening quote); '' inside stands for one quote. */
function readString(src: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < src.length) {
    if (src.charAt(i) === "'" && src.charAt(i + 1) === "'") {
      text += "'";
      i += 2;
    } else if (src.charAt(i) === "'") {
      return { text, end: i + 1 };
    } else {
      text += src.charAt(i);
      i += 1;
    }
  }
  throw new FilterError('unterminated string literal');
}

function readWord(src: string, start: number): { text: string; end: number } {
  let end = start;
  while (end < src.length && WORD.test(src.charAt(end))) end += 1;
  return { text: src.slice(start, end), end };
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch });
      i += 1;
    } else if (ch === "'" || WORD.test(ch)) {
      const read = ch === "'" ? readString(src, i) : readWord(src, i);
      tokens.push({ kind: ch === "'" ? 'string' : 'word', text: read.text });
      i = read.end;
    } else {
      throw new FilterError(`unexpected '${ch}'`);
    }
  }
  return tokens;
}

type Value = string | number | boolean | null | undefined;
type Operand = (item: unknown, scope: Record<string, unknown>) => unknown;

function resolvePath(path: string, item: unknown, scope: Record<string, unknown>): unknown {
  const parts = path.split('/');
  let current: unknown = item;
  if (parts[0] !== undefined && parts[0] in scope) current = scope[parts.shift() as string];
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const ISO = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?$/;

function normalize(v: unknown): Value {
  if (typeof v === 'string') return ISO.test(v) ? Date.parse(v) : v.toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return v;
  return undefined;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const x = normalize(a);
  const y = normalize(b);
  if (op === 'eq') return x === y || (x == null && y == null);
  if (op === 'ne') return !(x === y || (x == null && y == null));
  if (x == null || y == null) return false;
  if (op === 'gt') return x > y;
  if (op === 'ge') return x >= y;
  if (op === 'lt') return x < y;
  if (op === 'le') return x <= y;
  throw new FilterError(`unknown operator ${op}`);
}

type Pred = (item: unknown, scope: Record<string, unknown>) => boolean;

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}


  parse(): Pred {
    const pred = this.or();
    if (this.pos < this.tokens.length) throw new FilterError(`unexpected '${this.tokens[this.pos]?.text}'`);
    return pred;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new FilterError('unexpected end of filter');
    return t;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new FilterError(`expected '${text}' but found '${t.text}'`);
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.text.toLowerCase() === text;
  }

  private or(): Pred {
    let left = this.and();
    while (this.isWord('or')) {
      this.pos += 1;
      const l = left;
      const r = this.and();
      left = (i, s) => l(i, s) || r(i, s);
    }
    return left;
  }

  private and(): Pred {
    let left = this.unary();
    while (this.isWord('and')) {
      this.pos += 1;
      const l = left;
      const r = this.unary();
      left = (i, s) => l(i, s) && r(i, s);
    }
    return left;
  }

  private unary(): Pred {
    if (this.isWord('not')) {
      this.pos += 1;
      const inner = this.unary();
      return (i, s) => !inner(i, s);
    }
    if (this.peek()?.text === '(') {
      this.pos += 1;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Pred {
    const fn = this.functionCall();
    if (fn) return fn;
    const left = this.operand();
    const opToken = this.peek();
    const op = opToken?.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) {
      // A lambda (or a boolean property) stands alone as a predicate.
      return (i, s) => left(i, s) === true;
    }
    this.pos += 1;
    const right = this.operand();
    return (i, s) => compare(op, left(i, s), right(i, s));
  }

  private functionCall(): Pred | null {
    const t = this.peek();
    const after = this.tokens[this.pos + 1];
    if (t?.kind !== 'word' || after?.text !== '(' || /\/(any|all)$/i.test(t.text)) return null;
    const name = t.text.toLowerCase();
    if (!['startswith', 'endswith', 'contains'].includes(name)) throw new FilterError(`unsupported function ${t.text}`);
    this.pos += 2;
    const a = this.operand();
    this.expect(',');
    const b = this.operand();
    this.expect(')');
    return (i, s) => {
      const x = String(a(i, s) ?? '').toLowerCase();
      const y = String(b(i, s) ?? '').toLowerCase();
      return name === 'startswith' ? x.startsWith(y) : name === 'endswith' ? x.endsWith(y) : x.includes(y);
    };
  }

  private operand(): Operand {
    const t = this.next();
    if (t.kind === 'string') return () => t.text;
    if (t.kind !== 'word') throw new FilterError(`unexpected '${t.text}'`);
    const lower = t.text.toLowerCase();
    if (lower === 'true' || lower === 'false') return () => lower === 'true';
    if (lower === 'null') return () => null;
    if (/^-?\d+(\.\d+)?$/.test(t.text)) return () => Number(t.text);
    if (ISO.test(t.text)) return () => t.text;
    const lambda = /^(.*)\/(any|all)$/i.exec(t.text);
    if (lambda && this.peek()?.text === '(') return this.lambda(lambda[1] ?? '', (lambda[2] ?? '').toLowerCase());
    return (i, s) => resolvePath(t.text, i, s);
  }

  private lambda(path: string, kind: string): Operand {
    this.expect('(');
    const head = this.next().text;
    const colon = head.indexOf(':');
    if (colon < 1) throw new FilterError(`expected 'variable:' in ${path}/${kind}`);
    const variable = head.slice(0, colon);
    const rest = head.slice(colon + 1);
    if (rest) this.tokens.splice(this.pos, 0, { kind: 'word', text: rest });
    const body = this.or();
    this.expect(')');
    return (item, scope) => {
      const list = resolvePath(path, item, scope);
      if (!Array.isArray(list)) return false;
      const test = (el: unknown) => body(item, { ...scope, [variable]: el });
      return kind === 'any' ? list.some(test) : list.every(test);
    };
  }
}

export function parseFilter(src: string): Filter {
  const pred = new Parser(tokenize(src)).parse();
  return (item) => pred(item, {});
}
