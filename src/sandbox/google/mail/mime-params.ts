import { decodeCharset, decodeWords } from './headers';

export interface ParsedHeaderValue {
  value: string;
  params: Record<string, string>;
}

/** Splits `a; b="c;d"; e=f` at semicolons outside quotes. */
function splitParams(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

function unquote(text: string): string {
  return text.startsWith('"') && text.endsWith('"') && text.length >= 2 ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}

/** RFC 2231 extended value `charset'lang'%XX..`. */
function decodeExtended(text: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(text);
  const charset = match ? match[1] || 'utf-8' : 'utf-8';
  const encoded = match ? match[2]! : text;
  const bytes = Buffer.from(encoded.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return decodeCharset(bytes, charset);
}

/** Joins RFC 2231 continuations (`name*0*`, `name*1`) and decodes extended and RFC 2047 values. */
function collectParams(raw: [string, string][]): Record<string, string> {
  const pieces = new Map<string, { index: number; value: string; extended: boolean }[]>();
  for (const [key, value] of raw) {
    const match = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!match) continue;
    const name = match[1]!.toLowerCase();
    const list = pieces.get(name) ?? [];
    list.push({ index: Number(match[2] ?? 0), value, extended: Boolean(match[3]) });
    pieces.set(name, list);
  }
  const params: Record<string, string> = {};
  for (const [name, list] of pieces) {
    list.sort((a, b) => a.index - b.index);
    const extended = list[0]!.extended;
    const joined = list.map((p) => p.value).join('');
    params[name] = extended ? decodeExtended(joined) : decodeWords(joined);
  }
  return params;
}

/** Parses structured header values such as Content-Type and Content-Disposition. */
export function parseHeaderParams(header: string | undefined): ParsedHeaderValue {
  if (!header) return { value: '', params: {} };
  const [first = '', ...rest] = splitParams(header);
  const raw: [string, string][] = [];
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    raw.push([part.slice(0, eq).trim(), unquote(part.slice(eq + 1).trim())]);
  }
  return { value: first.trim().toLowerCase(), params: collectParams(raw) };
}
