/** Small decoders for the parts of RFC 2045/2047/2231 the payload view needs. */

export interface MimeHeader {
  name: string;
  value: string;
}

/** Unfolds the header block; values are read as UTF-8 (raw 8-bit headers) with encoded-words decoded. */
export function parseHeaderBlock(block: string): MimeHeader[] {
  const headers: MimeHeader[] = [];
  for (const line of block.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers.map((h) => ({ name: h.name, value: decodeWords(Buffer.from(h.value, 'latin1').toString('utf8')) }));
}

export function headerValue(headers: MimeHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** RFC 2047 encoded-words (B and Q); adjacent words separated only by space join without it. */
export function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;
  return value.replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, '$1').replace(word, (_m, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qDecode(text);
    return decodeCharset(bytes, charset.split('*')[0] ?? 'utf-8');
  });
}

function qDecode(text: string): Buffer {
  return quotedPrintableDecode(text.replace(/_/g, ' '));
}

export function quotedPrintableDecode(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

export interface ParsedHeaderValue {
  value: string;
  params: Record<string, string>;
}

/** `type/subtype; a=1; b="x; y"; name*=utf-8''%E2%82%AC; c*0=..; c*1=..` */
export function parseHeaderParams(raw: string): ParsedHeaderValue {
  const pieces = splitParams(raw);
  const value = (pieces.shift() ?? '').trim().toLowerCase();
  const params: Record<string, string> = {};
  const continued: Record<string, string[]> = {};
  for (const piece of pieces) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    const val = unquote(piece.slice(eq + 1).trim());
    const part = /^(.+?)\*(\d+)\*?$/.exec(key);
    if (part?.[1] && part[2]) (continued[part[1]] ??= [])[Number(part[2])] = val;
    else if (key.endsWith('*')) params[key.slice(0, -1)] = decode2231(val);
    else params[key] = decodeWords(val);
  }
  for (const [key, parts] of Object.entries(continued)) params[key] = decode2231(parts.join(''));
  return { value, params };
}

function splitParams(raw: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

const unquote = (v: string): string => (v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

function decode2231(value: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) return value;
  const bytes = Buffer.from(match[2]!.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  return decodeCharset(bytes, match[1] || 'utf-8');
}

export function decodeTransfer(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'base64':
      // Node's decoder skips line breaks and other stray characters by itself, which is much faster on a
      // large attachment than stripping them first; it would read '-' and '_' as base64url, so those are stripped.
      return Buffer.from(/[-_]/.test(body) ? body.replace(/[^A-Za-z0-9+/=]/g, '') : body, 'base64');
    case 'quoted-printable':
      return quotedPrintableDecode(body);
    default:
      return Buffer.from(body, 'latin1');
  }
}
